/**
 * "Download my data" (issue 17 item 3, ADR 0033). A trainer (or an admin, for a subject access
 * request, with a reason) asks; the request is a `data_export` row. A background worker in every
 * serving process, and the hourly jobs, claim pending rows with a conditional update, so two
 * workers on any number of nodes never build the same export; the ZIP goes into the evidence
 * store and the requester gets an email with a link `id.secret`. The link works for the requester
 * alone, signed in, for 7 days; then the hourly job deletes the file.
 */
import fsp from "node:fs/promises";
import path from "node:path";
import type { DB } from "~db/connection";
import type { DataExport } from "~db/schema";
import { recordAudit } from "~/audit/audit.server";
import { hashSecret, secretMatchesHash, splitToken } from "~/auth/crypto.server";
import { queueEmail } from "~/email/outbox.server";
import { evidenceDirectories, openEvidenceStream, readEvidenceBytes, removeEvidenceFiles, storeEvidenceFileFromPath } from "~/evidence/files.server";
import { DAY, MINUTE, addMs, iso } from "~/utils/clock";
import { formatMoment } from "~/utils/dates";
import { log } from "~/utils/log.server";
import { randomToken } from "~/utils/random.server";
import { ok, refuse, tooMany, type Result } from "~/utils/result";
import { collectExportParts } from "./contents.server";
import { writeExportZip } from "./zip.server";
import { EXPORT_LIFETIME_DAYS, OWN_EXPORTS_PER_DAY, REASON_MAX, REASON_MIN } from "./rules";

export const EXPORT_LIFETIME_MS = EXPORT_LIFETIME_DAYS * DAY;
/** A claim older than this was left by a worker that died: another may take the export over. */
export const CLAIM_LEASE_MS = 15 * MINUTE;
/** Builds tried before an export is marked failed (with its last error) and left alone. */
export const MAX_BUILD_ATTEMPTS = 3;

export interface Requester {
  id: number;
  role: string;
}

declare global {
  // As for the outbox worker: a route's request reaches the worker the server script started.
  var __academyDataExportWake: (() => void) | null | undefined;
}

/** Asks this process's export worker (if it runs one) to look for work soon, outside the request. */
export function wakeDataExportWorker(): void {
  globalThis.__academyDataExportWake?.();
}

async function createRequest(db: DB, requester: Requester, subjectId: number, reason: string | null, now: Date): Promise<Result<{ id: string }>> {
  const inProgress = await db
    .selectFrom("data_export")
    .select("id")
    .where("subject_user_id", "=", subjectId)
    .where("requested_by_user_id", "=", requester.id)
    .where("ready_at", "is", null)
    .where("failed_at", "is", null)
    .executeTakeFirst();
  if (inProgress) return refuse(409, "An export is already being prepared. We will email the link as soon as it is ready.");
  const id = randomToken(12);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("data_export")
      .values({ id, secret_hash: null, subject_user_id: subjectId, requested_by_user_id: requester.id, reason, requested_at: iso(now), claimed_at: null, claimed_by: null, ready_at: null, expires_at: null, storage_name: null, size_bytes: null, sha256: null, failed_at: null, last_error: null, deleted_at: null, downloaded_at: null })
      .execute();
    await recordAudit(
      trx,
      { actorUserId: requester.id, action: "data_export.requested", subjectType: "user", subjectId: subjectId, details: { exportId: id, ...(reason === null ? { by: "the trainer" } : { by: "staff", reason }) } },
      now,
    );
  });
  wakeDataExportWorker();
  return ok({ id });
}

/** A trainer asks for everything the academy holds about them: at most `OWN_EXPORTS_PER_DAY` in any 24 hours. */
export async function requestOwnDataExport(db: DB, user: Requester, now: Date): Promise<Result<{ id: string }>> {
  if (user.role !== "trainer") return refuse(403, "Staff accounts ask an administrator for their data.");
  const today = await db
    .selectFrom("data_export")
    .select("requested_at")
    .where("subject_user_id", "=", user.id)
    .where("requested_by_user_id", "=", user.id)
    .where("failed_at", "is", null)
    .where("requested_at", ">", iso(addMs(now, -DAY)))
    .orderBy("requested_at", "desc")
    .limit(OWN_EXPORTS_PER_DAY)
    .execute();
  if (today.length >= OWN_EXPORTS_PER_DAY) {
    // Free again when the oldest of those is 24 hours old (shown to the minute, rounded up).
    const freeAt = Date.parse(today[today.length - 1]!.requested_at) + DAY;
    const from = new Date(Math.ceil(freeAt / MINUTE) * MINUTE);
    return tooMany(freeAt - now.getTime(), `You have asked for ${OWN_EXPORTS_PER_DAY} copies in the last 24 hours, the most we prepare in a day. You can ask again from ${formatMoment(from)}; the links already emailed keep working for ${EXPORT_LIFETIME_DAYS} days.`);
  }
  return createRequest(db, user, user.id, null, now);
}

/** An admin produces a trainer's export for a subject access request: the reason is required and audited. */
export async function requestDataExportForTrainer(db: DB, admin: Requester, trainerId: number, reason: string, now: Date): Promise<Result<{ id: string }>> {
  if (admin.role !== "admin") return refuse(403, "Only administrators can produce a trainer's data export.");
  const trainer = await db.selectFrom("user").select(["id", "role"]).where("id", "=", trainerId).executeTakeFirst();
  if (!trainer || trainer.role !== "trainer") return refuse(404, "There is no such trainer.");
  const text = reason.trim();
  if (text.length < REASON_MIN || text.length > REASON_MAX) {
    return refuse(400, null, { reason: `Give the reason (for example, "Subject access request received by email on 2 December"), ${REASON_MIN} to ${REASON_MAX} characters.` });
  }
  return createRequest(db, admin, trainerId, text, now);
}

export interface ExportSummary {
  id: string;
  requestedAt: string;
  state: "preparing" | "ready" | "expired" | "failed";
  expiresAt: string | null;
  sizeBytes: number | null;
  reason: string | null;
}

function stateOf(row: Pick<DataExport, "ready_at" | "failed_at" | "expires_at" | "deleted_at">, now: Date): ExportSummary["state"] {
  if (row.failed_at) return "failed";
  if (!row.ready_at) return "preparing";
  return row.deleted_at || (row.expires_at && Date.parse(row.expires_at) <= now.getTime()) ? "expired" : "ready";
}

/** The newest exports `requesterId` asked for about `subjectId` (their own, or a trainer's for staff). */
export async function listDataExports(db: DB, requesterId: number, subjectId: number, now: Date): Promise<ExportSummary[]> {
  const rows = await db
    .selectFrom("data_export")
    .selectAll()
    .where("requested_by_user_id", "=", requesterId)
    .where("subject_user_id", "=", subjectId)
    .orderBy("requested_at", "desc")
    .limit(5)
    .execute();
  return rows.map((r) => ({ id: r.id, requestedAt: r.requested_at, state: stateOf(r, now), expiresAt: r.expires_at, sizeBytes: r.size_bytes, reason: r.reason }));
}

// --- Building --------------------------------------------------------------------------------

/**
 * Claims one export for the worker `token`: a conditional update that succeeds only while the
 * export is unbuilt, not given up, and unclaimed (or its claim has outlived the lease). Of two
 * workers racing for it, on any engine, exactly one sees a row updated.
 */
export async function claimDataExport(db: DB, id: string, token: string, now: Date): Promise<boolean> {
  const staleBefore = iso(new Date(now.getTime() - CLAIM_LEASE_MS));
  const result = await db
    .updateTable("data_export")
    .set((eb) => ({ claimed_at: iso(now), claimed_by: token, attempts: eb("attempts", "+", 1) }))
    .where("id", "=", id)
    .where("ready_at", "is", null)
    .where("failed_at", "is", null)
    .where((eb) => eb.or([eb("claimed_at", "is", null), eb("claimed_at", "<", staleBefore)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface BuildOptions {
  now: Date;
  evidenceDir: string;
  publicBaseUrl: string;
}

function sizeWords(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Builds one claimed export: the ZIP into the store, then (if this worker still holds it) ready, emailed and audited. */
async function buildClaimed(db: DB, row: DataExport, token: string, options: BuildOptions): Promise<boolean> {
  const { now, evidenceDir } = options;
  const requester = await db.selectFrom("user").select(["id", "name", "email", "role"]).where("id", "=", row.requested_by_user_id).executeTakeFirstOrThrow();
  const { subject, parts } = await collectExportParts(db, row.subject_user_id);
  const { incoming } = evidenceDirectories(evidenceDir);
  await fsp.mkdir(incoming, { recursive: true });
  const storageName = `export-${randomToken(16)}.zip`;
  const tempPath = path.join(incoming, `${storageName}.part`);
  const written = await writeExportZip(tempPath, { subject, parts, requestedBy: { name: requester.name, role: requester.role, reason: row.reason, at: row.requested_at }, generatedAt: now }, async (name) => {
    const bytes = await readEvidenceBytes(db, evidenceDir, name);
    return bytes ? new Uint8Array(bytes) : null;
  });
  await storeEvidenceFileFromPath(db, evidenceDir, tempPath, storageName, now);
  const expiresAt = addMs(now, EXPORT_LIFETIME_MS);
  // The link's secret is made now, emailed once, and kept only as its SHA-256.
  const secret = randomToken();
  const link = `${options.publicBaseUrl}/account/data-export/${row.id}.${secret}`;
  const held = await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("data_export")
      .set({ secret_hash: hashSecret(secret), ready_at: iso(now), expires_at: iso(expiresAt), storage_name: storageName, size_bytes: written.sizeBytes, sha256: written.sha256, last_error: null })
      .where("id", "=", row.id)
      .where("claimed_by", "=", token)
      .where("ready_at", "is", null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return false;
    const forSomeoneElse = row.subject_user_id !== row.requested_by_user_id;
    await queueEmail(
      trx,
      {
        to: requester.email,
        subject: forSomeoneElse ? `Data export for ${subject.name} is ready` : "Your data from Approved Trainer Academy is ready",
        text: [
          `Hello ${requester.name},`,
          "",
          forSomeoneElse
            ? `The export of everything the academy holds about ${subject.name} (the subject access request you recorded) is ready to download:`
            : "The copy of everything the academy holds about you, which you asked for, is ready to download:",
          "",
          link,
          "",
          `It is a ZIP file of ${sizeWords(written.sizeBytes)}; manifest.json inside it says what each part is. The link works only when you are signed in as yourself, until ${formatMoment(iso(expiresAt))}; then the file is deleted.`,
          "",
          "If you did not ask for this, sign in and change your password, and tell the academy.",
        ].join("\n"),
      },
      now,
    );
    await recordAudit(trx, { actorUserId: null, action: "data_export.ready", subjectType: "user", subjectId: row.subject_user_id, details: { exportId: row.id, sizeBytes: written.sizeBytes, parts: written.manifest.parts.length } }, now);
    return true;
  });
  // Another worker took it over after our lease ran out: theirs stands, our file goes.
  if (!held) await removeEvidenceFiles(db, evidenceDir, [storageName]);
  return held;
}

async function recordBuildFailure(db: DB, row: DataExport, token: string, error: unknown, now: Date): Promise<boolean> {
  const givingUp = row.attempts + 1 >= MAX_BUILD_ATTEMPTS;
  await db
    .updateTable("data_export")
    .set({ claimed_at: null, claimed_by: null, last_error: String(error).slice(0, 500), failed_at: givingUp ? iso(now) : null })
    .where("id", "=", row.id)
    .where("claimed_by", "=", token)
    .execute();
  log().error({ err: error, exportId: row.id, givingUp }, "A data export could not be built");
  return givingUp;
}

export interface ExportRun {
  built: number;
  failed: number;
}

/**
 * Builds every pending export this worker can claim (at most `limit`). Safe to run in any number
 * of processes and nodes at once: each export is claimed by one conditional update.
 */
export async function buildPendingDataExports(db: DB, options: BuildOptions & { limit?: number }): Promise<ExportRun> {
  const run: ExportRun = { built: 0, failed: 0 };
  const token = randomToken(12);
  const staleBefore = iso(new Date(options.now.getTime() - CLAIM_LEASE_MS));
  const candidates = await db
    .selectFrom("data_export")
    .select("id")
    .where("ready_at", "is", null)
    .where("failed_at", "is", null)
    .where((eb) => eb.or([eb("claimed_at", "is", null), eb("claimed_at", "<", staleBefore)]))
    .orderBy("requested_at")
    .limit(options.limit ?? 20)
    .execute();
  for (const { id } of candidates) {
    if (!(await claimDataExport(db, id, token, options.now))) continue;
    const row = await db.selectFrom("data_export").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    try {
      if (await buildClaimed(db, { ...row, attempts: row.attempts - 1 }, token, options)) run.built += 1;
    } catch (error) {
      if (await recordBuildFailure(db, { ...row, attempts: row.attempts - 1 }, token, error, options.now)) run.failed += 1;
    }
  }
  return run;
}

/** The hourly job's part: deletes the ZIP of every export past its 7 days (the row stays, as a record). */
export async function deleteExpiredDataExports(db: DB, evidenceDir: string, now: Date): Promise<number> {
  const expired = await db
    .selectFrom("data_export")
    .select(["id", "storage_name", "subject_user_id"])
    .where("deleted_at", "is", null)
    .where("storage_name", "is not", null)
    .where("expires_at", "<=", iso(now))
    .limit(1000)
    .execute();
  for (const row of expired) {
    await removeEvidenceFiles(db, evidenceDir, [row.storage_name!]);
    await db.updateTable("data_export").set({ deleted_at: iso(now) }).where("id", "=", row.id).execute();
  }
  return expired.length;
}

// --- The link --------------------------------------------------------------------------------

export type OpenedExport =
  | { kind: "ready"; id: string; subjectName: string; forSomeoneElse: boolean; readyAt: string; expiresAt: string; sizeBytes: number; storageName: string }
  | { kind: "forbidden" }
  | { kind: "expired"; expiredAt: string }
  | { kind: "not-found" };

/**
 * What the emailed link opens for `viewer`: only the person who asked (403 for anyone else, who
 * is told so and learns nothing about the export), only until it expires.
 */
export async function openDataExport(db: DB, viewer: Requester, token: string, now: Date): Promise<OpenedExport> {
  const parts = splitToken(token);
  if (!parts) return { kind: "not-found" };
  const row = await db
    .selectFrom("data_export")
    .innerJoin("user as subject", "subject.id", "data_export.subject_user_id")
    .selectAll("data_export")
    .select("subject.name as subject_name")
    .where("data_export.id", "=", parts.id)
    .executeTakeFirst();
  if (!row || !row.secret_hash || !secretMatchesHash(parts.secret, row.secret_hash) || !row.ready_at) return { kind: "not-found" };
  if (row.requested_by_user_id !== viewer.id) return { kind: "forbidden" };
  if (stateOf(row, now) !== "ready") return { kind: "expired", expiredAt: row.expires_at ?? row.ready_at };
  return {
    kind: "ready",
    id: row.id,
    subjectName: row.subject_name,
    forSomeoneElse: row.subject_user_id !== viewer.id,
    readyAt: row.ready_at,
    expiresAt: row.expires_at!,
    sizeBytes: row.size_bytes ?? 0,
    storageName: row.storage_name!,
  };
}

/** A refused opening of someone else's export is audited (who tried, which export); nothing else changes. */
export async function recordRefusedOpening(db: DB, viewer: Requester, token: string, now: Date): Promise<void> {
  const id = splitToken(token)?.id ?? null;
  await recordAudit(db, { actorUserId: viewer.id, action: "data_export.refused", subjectType: "data_export", subjectId: id, details: { reason: "not the requester" } }, now);
}

/** The ZIP for its requester, as a stream with its size, audited; null when the stored file has gone. */
export async function downloadDataExport(db: DB, viewer: Requester, opened: Extract<OpenedExport, { kind: "ready" }>, evidenceDir: string, now: Date) {
  const file = await openEvidenceStream(db, evidenceDir, opened.storageName);
  if (!file) return null;
  await db.updateTable("data_export").set({ downloaded_at: iso(now) }).where("id", "=", opened.id).execute();
  const subjectId = (await db.selectFrom("data_export").select("subject_user_id").where("id", "=", opened.id).executeTakeFirstOrThrow()).subject_user_id;
  await recordAudit(db, { actorUserId: viewer.id, action: "data_export.downloaded", subjectType: "user", subjectId, details: { exportId: opened.id } }, now);
  return file;
}
