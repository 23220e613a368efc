import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// Indexes for the paginated staff lists, their filters and joins (issue 19, ADR 0014). Each is
// justified by a query-plan test in tests/unit/query-plans.test.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Retake decisions read a trainer's unlocks per module (trainers list, assessment start).
  await db.schema.createIndex("assessment_unlock_user_module").on("assessment_unlock").columns(["user_id", "module_slug", "unlocked_at"]).execute();

  // Audit trail: filter by action, newest first; the action list walks this index one value at a time.
  await db.schema.createIndex("audit_event_action_id").on("audit_event").columns(["action", "id"]).execute();
  // Audit trail: everything about one subject (a certificate id, a user id), newest first.
  await db.schema.createIndex("audit_event_subject_id").on("audit_event").columns(["subject_id", "id"]).execute();

  // Users and trainers lists: by role, by name (keyset on name, id) or newest first (id).
  await db.schema.createIndex("user_role_name").on("user").columns(["role", "name", "id"]).execute();
  await db.schema.createIndex("user_role_id").on("user").columns(["role", "id"]).execute();

  // Certificates list sorted by name, issue date or expiry (keyset on the column, then id).
  await db.schema.createIndex("certificate_name").on("certificate").columns(["trainer_name", "id"]).execute();
  await db.schema.createIndex("certificate_issued").on("certificate").columns(["issued_at", "id"]).execute();
  await db.schema.createIndex("certificate_expires").on("certificate").columns(["expires_on", "id"]).execute();
  // "Expiring within N days" and the live-status filters start from certificates nobody has
  // revoked, replaced or suspended: a partial index keeps them apart from the history.
  await db.schema
    .createIndex("certificate_current_expires")
    .on("certificate")
    .columns(["expires_on", "id"])
    .where(sql.ref("revoked_at"), "is", null)
    .where(sql.ref("superseded_by"), "is", null)
    .where(sql.ref("suspended_at"), "is", null)
    .execute();

  // A certificate's live status reads the trainer's longest-running verified policy, latest DBS
  // record (dbs_check_user already holds the id) and qualification: one index seek each.
  await db.schema.createIndex("insurance_policy_user_status_end").on("insurance_policy").columns(["user_id", "status", "end_date", "id"]).execute();
  await db.schema.createIndex("qualification_user_status").on("qualification").columns(["user_id", "status", "kind", "level"]).execute();

  // DBS list: by decision (the awaiting queue first), oldest first; and every record, oldest first.
  await db.schema.createIndex("dbs_check_decision_created").on("dbs_check").columns(["decision", "created_at", "id"]).execute();
  await db.schema.createIndex("dbs_check_created").on("dbs_check").columns(["created_at", "id"]).execute();

  // Marking: open work only. Released submissions are the history and grow without end; this
  // partial index holds just the open ones, so "status <> 'released'" never scans the history.
  await db.schema
    .createIndex("report_submission_open")
    .on("report_submission")
    .columns(["status", "submitted_at", "id", "marked_at"])
    .where(sql.ref("status"), "<>", "released")
    .execute();
}
