import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// Entry requirements: evidence files, qualifications, insurance, Enhanced DBS, policy settings
// and the record of reminders already sent. Dates without a time are ISO 'YYYY-MM-DD' text;
// instants are ISO 8601 UTC text; money is integer pence.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("evidence_file")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("owner_user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("storage_name", "text", (c) => c.notNull().unique())
    .addColumn("media_type", "text", (c) => c.notNull().check(sql`media_type in ('application/pdf', 'image/png', 'image/jpeg')`))
    .addColumn("size_bytes", "integer", (c) => c.notNull().check(sql`size_bytes > 0`))
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("evidence_file_owner").on("evidence_file").column("owner_user_id").execute();

  await db.schema
    .createTable("qualification")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('personal_training', 'other')`))
    .addColumn("level", "integer", (c) => c.notNull())
    .addColumn("awarding_organisation", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("qualification_number", "text", (c) => c.notNull())
    .addColumn("certificate_number", "text", (c) => c.notNull())
    .addColumn("issue_date", "text", (c) => c.notNull())
    .addColumn("evidence_file_id", "text", (c) => c.notNull().references("evidence_file.id"))
    .addColumn("cpd_evidence_file_id", "text", (c) => c.references("evidence_file.id"))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('submitted', 'verified', 'rejected')`))
    .addColumn("decided_by_user_id", "integer", (c) => c.references("user.id"))
    .addColumn("decided_at", "text")
    .addColumn("rejection_reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("qualification_user").on("qualification").column("user_id").execute();
  await db.schema.createIndex("qualification_status").on("qualification").columns(["status", "created_at"]).execute();

  await db.schema
    .createTable("insurance_policy")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("insurer", "text", (c) => c.notNull())
    .addColumn("policy_number", "text", (c) => c.notNull())
    .addColumn("public_liability_pence", "integer", (c) => c.notNull())
    .addColumn("professional_indemnity_pence", "integer", (c) => c.notNull())
    .addColumn("limit_basis", "text", (c) => c.notNull().check(sql`limit_basis in ('per_occurrence', 'aggregate')`))
    .addColumn("covered_activities", "text", (c) => c.notNull())
    .addColumn("territory", "text", (c) => c.notNull())
    .addColumn("start_date", "text", (c) => c.notNull())
    .addColumn("end_date", "text", (c) => c.notNull())
    .addColumn("evidence_file_id", "text", (c) => c.notNull().references("evidence_file.id"))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('submitted', 'verified', 'rejected')`))
    .addColumn("decided_by_user_id", "integer", (c) => c.references("user.id"))
    .addColumn("decided_at", "text")
    .addColumn("rejection_reason", "text")
    .addColumn("expired_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("insurance_policy_user").on("insurance_policy").column("user_id").execute();
  await db.schema.createIndex("insurance_policy_status").on("insurance_policy").columns(["status", "created_at"]).execute();

  await db.schema
    .createTable("dbs_check")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.notNull().references("user.id"))
    // Certificate details: erased (set to null) once the retention period after the decision ends.
    .addColumn("certificate_number", "text")
    .addColumn("issue_date", "text")
    .addColumn("adults_barred_list", "integer", (c) => c.notNull())
    .addColumn("children_barred_list", "integer", (c) => c.notNull())
    .addColumn("workforce", "text", (c) => c.notNull().check(sql`workforce in ('adult', 'child', 'both')`))
    .addColumn("update_service_subscribed", "integer", (c) => c.notNull())
    .addColumn("status_check_consent", "integer", (c) => c.notNull())
    .addColumn("will_show_original", "integer", (c) => c.notNull())
    .addColumn("decision", "text", (c) => c.check(sql`decision in ('suitable', 'not_suitable', 'needs_review')`))
    .addColumn("decided_by_user_id", "integer", (c) => c.references("user.id"))
    .addColumn("decided_at", "text")
    .addColumn("original_seen_on", "text")
    .addColumn("original_seen_by_user_id", "integer", (c) => c.references("user.id"))
    .addColumn("recheck_due_on", "text")
    .addColumn("recheck_flagged_at", "text")
    .addColumn("details_erased_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("dbs_check_user").on("dbs_check").column("user_id").execute();

  await db.schema
    .createTable("dbs_status_check")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("dbs_check_id", "integer", (c) => c.notNull().references("dbs_check.id"))
    .addColumn("checked_on", "text", (c) => c.notNull())
    .addColumn("result", "text", (c) => c.notNull().check(sql`result in ('current', 'not_current', 'no_match')`))
    .addColumn("checked_by_user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("dbs_status_check_dbs").on("dbs_status_check").column("dbs_check_id").execute();

  await db.schema
    .createTable("policy_setting")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_by_user_id", "integer", (c) => c.references("user.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("reminder_sent")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("subject_id", "text", (c) => c.notNull())
    // What the reminder was about (e.g. the end date): a renewed policy or a new due date gets its own reminder.
    .addColumn("window_key", "text", (c) => c.notNull())
    .addColumn("sent_at", "text", (c) => c.notNull())
    .addUniqueConstraint("reminder_sent_once", ["kind", "subject_id", "window_key"])
    .execute();
}
