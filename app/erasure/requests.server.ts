/**
 * Erasure requests (issue 17 item 4, ADR 0034): a trainer asks to close their account and have
 * their data erased, confirming with their password, and may withdraw while it is pending; an
 * admin reviews it and refuses with a reason, or carries it out (the approval seam's
 * `carryOutErasure`, which revokes the certificates in the same transaction). Every step is a
 * conditional update, audited by ids only.
 */
import type { DB, Trx } from "~db/connection";
import type { ErasureRequest, ErasureRequestStatus } from "~db/schema";
import { isUniqueViolation } from "~db/dialect";
import { recordAudit } from "~/audit/audit.server";
import { notify, notifyStaff } from "~/notifications/notify.server";
import { confirmPassword } from "~/auth/password-confirmation.server";
import { iso } from "~/utils/clock";
import { keysetPage } from "~/utils/keyset";
import { parsePageRequest, type Page, type PageRequest } from "~/utils/pagination";
import { invalid, ok, refuse, type Result } from "~/utils/result";
import { REFUSAL_REASON_MAX } from "./policy";

type Person = { id: number; role: string };

/** The person's latest request, if any: pending, or how the last one ended. */
export async function latestErasureRequest(db: DB, userId: number): Promise<ErasureRequest | null> {
  return (await db.selectFrom("erasure_request").selectAll().where("user_id", "=", userId).orderBy("id", "desc").executeTakeFirst()) ?? null;
}

/** A trainer asks for erasure, confirming with their password. One pending request at a time. */
export async function requestErasure(db: DB, person: Person, password: string, now: Date): Promise<Result<{ requestId: number }>> {
  if (person.role !== "trainer") return refuse(403, "Only trainers can ask for erasure here. Staff accounts are closed by an administrator.");
  const user = await db.selectFrom("user").select(["password_hash", "erased_at"]).where("id", "=", person.id).executeTakeFirst();
  if (!user || user.erased_at) return refuse(404, "There is no such account.");
  if (!password) return invalid({ password: "Enter your password to confirm." });
  const confirmed = await confirmPassword(db, { id: person.id, password_hash: user.password_hash }, password, "password", "That is not your password. Enter the password you sign in with.", now);
  if (!confirmed.ok) return confirmed;
  try {
    const id = await db.transaction().execute(async (trx) => {
      const pending = await trx.selectFrom("erasure_request").select("id").where("user_id", "=", person.id).where("status", "=", "pending").executeTakeFirst();
      if (pending) return null;
      const row = await trx.insertInto("erasure_request").values({ user_id: person.id, status: "pending", requested_at: iso(now), withdrawn_at: null, decided_at: null, decided_by_user_id: null, refusal_reason: null }).returning("id").executeTakeFirstOrThrow();
      await recordAudit(trx, { actorUserId: person.id, action: "erasure.requested", subjectType: "erasure_request", subjectId: row.id, details: { userId: person.id } }, now);
      await notifyStaff(trx, "admin", { kind: "erasure_to_review", title: "A trainer asked for erasure", body: `Erasure request ${row.id} is waiting for review.`, link: `/admin/erasure-requests/${row.id}` }, now);
      return row.id;
    });
    return id === null ? refuse(409, "You have already asked; your request is waiting for an administrator.") : ok({ requestId: id });
  } catch (error) {
    if (isUniqueViolation(error)) return refuse(409, "You have already asked; your request is waiting for an administrator.");
    throw error;
  }
}

/** The trainer withdraws their pending request. A second click changes nothing (409). */
export async function withdrawErasureRequest(db: DB, userId: number, now: Date): Promise<Result> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.updateTable("erasure_request").set({ status: "withdrawn", withdrawn_at: iso(now) }).where("user_id", "=", userId).where("status", "=", "pending").returning("id").executeTakeFirst();
    if (!row) return refuse(409, "There is no pending request to withdraw.");
    await recordAudit(trx, { actorUserId: userId, action: "erasure.withdrawn", subjectType: "erasure_request", subjectId: row.id, details: { userId } }, now);
    return ok();
  });
}

/**
 * Claims a pending request for carrying out, inside the seam's transaction: the conditional
 * update makes a second click (or a second admin) find nothing. An admin's own account is never
 * erased this way.
 */
export async function claimPendingRequest(trx: Trx, requestId: number, adminId: number, now: Date): Promise<{ userId: number } | null> {
  const row = await trx
    .updateTable("erasure_request")
    .set({ status: "carried_out", decided_at: iso(now), decided_by_user_id: adminId })
    .where("id", "=", requestId)
    .where("status", "=", "pending")
    .where("user_id", "<>", adminId)
    .returning("user_id")
    .executeTakeFirst();
  return row ? { userId: row.user_id } : null;
}

/** An admin refuses, with a reason the trainer is shown (for example an open concern under investigation). Audited. */
export async function refuseErasureRequest(db: DB, admin: Person, requestId: number, reason: string, now: Date): Promise<Result> {
  if (admin.role !== "admin") return refuse(403, "Only administrators decide erasure requests.");
  const text = reason.trim();
  if (!text) return invalid({ reason: "Give the reason, which the trainer is shown." });
  if (text.length > REFUSAL_REASON_MAX) return invalid({ reason: `At most ${REFUSAL_REASON_MAX} characters.` });
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("erasure_request")
      .set({ status: "refused", decided_at: iso(now), decided_by_user_id: admin.id, refusal_reason: text })
      .where("id", "=", requestId)
      .where("status", "=", "pending")
      .returning(["id", "user_id"])
      .executeTakeFirst();
    if (!row) return refuse(404, "This request is not pending any more (carried out, refused or withdrawn already).");
    await recordAudit(trx, { actorUserId: admin.id, action: "erasure.refused", subjectType: "erasure_request", subjectId: row.id, details: { userId: row.user_id, reason: text } }, now);
    await notify(trx, { userId: row.user_id, kind: "erasure_decision", title: "Your erasure request was refused", body: `An administrator refused your request to close your account and erase your data. The reason given:\n\n${text}`, link: "/account/erasure" }, now);
    return ok();
  });
}

export interface PendingErasure {
  id: number;
  userId: number;
  name: string;
  email: string;
  requestedAt: string;
}

export const parseErasureListPage = (params: URLSearchParams): PageRequest => parsePageRequest(params, ["string", "number"]);

const pending = (db: DB) => db.selectFrom("erasure_request").innerJoin("user", "user.id", "erasure_request.user_id").where("erasure_request.status", "=", "pending");

/** Pending requests, oldest first, a page at a time (keyset, ADR 0014). Admins only (the route checks). */
export async function listPendingErasureRequests(db: DB, page: PageRequest): Promise<Page<PendingErasure>> {
  return keysetPage(
    {
      base: pending(db),
      select: (base) => (base as ReturnType<typeof pending>).select(["erasure_request.id", "erasure_request.user_id", "erasure_request.requested_at", "user.name", "user.email"]),
      sort: { column: "erasure_request.requested_at", id: "erasure_request.id", direction: "asc", key: (r) => [r.requested_at, r.id] },
      request: page,
    },
    (r) => ({ id: r.id, userId: r.user_id, name: r.name, email: r.email, requestedAt: r.requested_at }),
  );
}

export interface ErasureReview {
  id: number;
  status: ErasureRequestStatus;
  requestedAt: string;
  decidedAt: string | null;
  refusalReason: string | null;
  trainer: { id: number; name: string; email: string };
  openConcerns: number;
  certificates: number;
  evidenceFiles: number;
}

/** One request with what an admin weighs: open concerns (a ground to refuse or delay), certificates, evidence. */
export async function getErasureReview(db: DB, requestId: number): Promise<ErasureReview | null> {
  const row = await db
    .selectFrom("erasure_request")
    .innerJoin("user", "user.id", "erasure_request.user_id")
    .select(["erasure_request.id", "erasure_request.status", "erasure_request.requested_at", "erasure_request.decided_at", "erasure_request.refusal_reason", "user.id as user_id", "user.name", "user.email"])
    .where("erasure_request.id", "=", requestId)
    .executeTakeFirst();
  if (!row) return null;
  const count = (q: { executeTakeFirstOrThrow: () => Promise<{ n: number | string | bigint }> }) => q.executeTakeFirstOrThrow().then((r) => Number(r.n));
  const [openConcerns, certificates, evidenceFiles] = await Promise.all([
    count(db.selectFrom("concern").select((eb) => eb.fn.countAll().as("n")).where("trainer_user_id", "=", row.user_id).where("status", "=", "open")),
    count(db.selectFrom("certificate").select((eb) => eb.fn.countAll().as("n")).where("user_id", "=", row.user_id)),
    count(db.selectFrom("evidence_file").select((eb) => eb.fn.countAll().as("n")).where("owner_user_id", "=", row.user_id)),
  ]);
  return {
    id: row.id,
    status: row.status,
    requestedAt: row.requested_at,
    decidedAt: row.decided_at,
    refusalReason: row.refusal_reason,
    trainer: { id: row.user_id, name: row.name, email: row.email },
    openConcerns,
    certificates,
    evidenceFiles,
  };
}
