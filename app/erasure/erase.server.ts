/**
 * Overwrites and deletes a person's personal data inside the caller's transaction (issue 17
 * item 4, ADR 0034). What is kept, and why, is the policy in ADR 0034 and the privacy notice:
 * the account row (id, role, dates), certificate facts without a name (done by the approval
 * seam, which also revokes them), attempts and marks for the appeal period, DBS decisions, and
 * the audit trail (actor ids, not personal text). The evidence files' bytes are removed by the
 * caller after commit (`storageNames`); on PostgreSQL their rows in `evidence_blob` go here.
 * The old bytes leave the database files through `purgeErasedBytes` on `ERASED_TABLES`, after
 * commit (SQLite's secure_delete zeroes freed cells; the log is checkpointed; PostgreSQL
 * rewrites the tables with VACUUM FULL).
 */
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { Trx } from "~db/connection";
import { iso } from "~/utils/clock";
import { ERASED_NAME, erasedEmail } from "./policy";

/** Every table an erasure changes: the ones whose files are purged of the old bytes afterwards. */
export const ERASED_TABLES = [
  "user", "session", "one_time_token", "user_invitation", "login_throttle", "email_outbox", "notification", "notification_preference", "notification_digest",
  "evidence_file", "evidence_blob", "qualification", "insurance_policy", "dbs_check", "agreement_acceptance", "report_draft", "report_submission",
  "register_listing", "supervision", "supervision_session", "supervision_action", "oversight_report_share", "module_resume",
  "certificate", "certificate_status", "issued_credential", "data_export",
  "second_factor", "second_factor_used_step", "recovery_code",
];

export interface ErasedAccount {
  storageNames: string[];
  counts: Record<string, number>;
}

const changed = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }[] | { numUpdatedRows?: bigint; numDeletedRows?: bigint }) =>
  (Array.isArray(result) ? result : [result]).reduce((n, r) => n + Number(r.numUpdatedRows ?? r.numDeletedRows ?? 0n), 0);

/** Where `text` appears in `column` (case-sensitive, LIKE's wildcards escaped; both engines). */
function mentions(column: string, text: string) {
  return sql<boolean>`${sql.ref(column)} like ${`%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`;
}

/**
 * Mentions of the person in what other people were sent (staff notifications, queued emails)
 * are replaced, so their name and address leave those rows too.
 */
async function scrubMentions(trx: Trx, name: string, email: string): Promise<number> {
  let n = 0;
  for (const needle of [email, name].filter((t) => t.trim().length >= 3)) {
    n += changed(
      await trx
        .updateTable("notification")
        .set({ title: sql`replace(title, ${needle}, ${ERASED_NAME})`, body: sql`replace(body, ${needle}, ${ERASED_NAME})` })
        .where((eb) => eb.or([mentions("title", needle), mentions("body", needle)]))
        .executeTakeFirst(),
    );
    n += changed(
      await trx
        .updateTable("email_outbox")
        .set({ subject: sql`replace(subject, ${needle}, ${ERASED_NAME})`, body_text: sql`replace(body_text, ${needle}, ${ERASED_NAME})` })
        .where((eb) => eb.or([mentions("subject", needle), mentions("body_text", needle)]))
        .executeTakeFirst(),
    );
  }
  return n;
}

async function eraseEvidence(trx: Trx, userId: number) {
  const files = await trx.selectFrom("evidence_file").select(["id", "storage_name"]).where("owner_user_id", "=", userId).execute();
  // "Download my data" ZIPs about the person (ADR 0033) hold all of it: their files and rows go too.
  const exports = await trx.selectFrom("data_export").select("storage_name").where("subject_user_id", "=", userId).execute();
  await trx.deleteFrom("data_export").where("subject_user_id", "=", userId).execute();
  const storageNames = [...files.map((f) => f.storage_name), ...exports.flatMap((e) => (e.storage_name ? [e.storage_name] : []))];
  if (storageNames.length > 0) await trx.deleteFrom("evidence_blob").where("storage_name", "in", storageNames).execute();
  // The rows stay (qualifications and insurance point at them) without anything that describes the file.
  await trx.updateTable("evidence_file").set({ display_name: "erased", sha256: "" }).where("owner_user_id", "=", userId).execute();
  await trx.updateTable("qualification").set({ certificate_number: "", qualification_number: "", rejection_reason: null }).where("user_id", "=", userId).execute();
  await trx.updateTable("insurance_policy").set({ policy_number: "", covered_activities: "", rejection_reason: null }).where("user_id", "=", userId).execute();
  return storageNames;
}

async function eraseWork(trx: Trx, userId: number, now: Date) {
  await trx
    .updateTable("dbs_check")
    .set((eb) => ({ certificate_number: null, issue_date: null, viewing_contact_note: null, details_erased_at: eb.fn.coalesce("details_erased_at", sql.lit(iso(now))) }))
    .where("user_id", "=", userId)
    .execute();
  await trx.updateTable("agreement_acceptance").set({ typed_name: ERASED_NAME }).where("user_id", "=", userId).execute();
  await trx.deleteFrom("report_draft").where("user_id", "=", userId).execute();
  const reports = await trx.updateTable("report_submission").set({ body: "", word_count: 0, body_erased_at: iso(now) }).where("user_id", "=", userId).where("body_erased_at", "is", null).executeTakeFirst();
  const sessions = await trx.selectFrom("supervision_session").select("id").where("trainer_user_id", "=", userId).execute();
  if (sessions.length > 0) await trx.updateTable("supervision_action").set({ description: "" }).where("session_id", "in", sessions.map((s) => s.id)).execute();
  await trx.updateTable("supervision_session").set({ summary: "" }).where("trainer_user_id", "=", userId).execute();
  await trx.deleteFrom("supervision").where("trainer_user_id", "=", userId).execute();
  await trx.deleteFrom("register_listing").where("user_id", "=", userId).execute();
  await trx.deleteFrom("oversight_report_share").where("trainer_user_id", "=", userId).execute();
  await trx.deleteFrom("module_resume").where("user_id", "=", userId).execute();
  return { reportsErased: changed(reports), supervisionSessions: sessions.length };
}

/**
 * Erases one person's personal data (see the file comment). Inside the caller's transaction,
 * after the caller has claimed the pending request; returns the evidence files to remove.
 */
export async function eraseAccountData(trx: Trx, userId: number, now: Date): Promise<ErasedAccount> {
  const user = await trx.selectFrom("user").select(["id", "name", "email"]).where("id", "=", userId).executeTakeFirstOrThrow();
  await trx
    .updateTable("user")
    .set({ name: ERASED_NAME, email: erasedEmail(userId, randomBytes(8).toString("hex")), password_hash: "erased", email_confirmed_at: null, disabled_at: iso(now), erased_at: iso(now), updated_at: iso(now) })
    .where("id", "=", userId)
    .execute();
  const sessions = await trx.deleteFrom("session").where("user_id", "=", userId).executeTakeFirst();
  await trx.deleteFrom("one_time_token").where("user_id", "=", userId).execute();
  await trx.deleteFrom("user_invitation").where((eb) => eb.or([eb("accepted_user_id", "=", userId), eb("email", "=", user.email)])).execute();
  await trx.deleteFrom("login_throttle").where(mentions("key", `:${user.email}`)).execute();
  // Two-factor sign-in (ADR 0032): the key, recovery codes, used steps and the second step's counter.
  await trx.deleteFrom("second_factor_used_step").where("user_id", "=", userId).execute();
  await trx.deleteFrom("recovery_code").where("user_id", "=", userId).execute();
  await trx.deleteFrom("second_factor").where("user_id", "=", userId).execute();
  await trx.deleteFrom("login_throttle").where("key", "=", `second-factor:${userId}`).execute();
  await trx.deleteFrom("email_outbox").where("to_address", "=", user.email).execute();
  const notifications = await trx.deleteFrom("notification").where("user_id", "=", userId).executeTakeFirst();
  await trx.deleteFrom("notification_preference").where("user_id", "=", userId).execute();
  await trx.deleteFrom("notification_digest").where("user_id", "=", userId).execute();
  const storageNames = await eraseEvidence(trx, userId);
  const work = await eraseWork(trx, userId, now);
  const mentionsScrubbed = await scrubMentions(trx, user.name, user.email);
  return {
    storageNames,
    counts: { sessions: changed(sessions), notifications: changed(notifications), files: storageNames.length, ...work, mentionsScrubbed },
  };
}
