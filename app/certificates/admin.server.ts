import type { DB } from "~db/connection";
import type { Certificate } from "~db/schema";
import { iso } from "~/utils/clock";
import { ok, refuse, type Result } from "~/utils/result";
import { recordAudit } from "~/audit/audit.server";
import { notify } from "~/notifications/notify.server";
import { invalidatePublicView, liveStatusOf } from "./public.server";
import { refreshCertificateCredential } from "./credentials/sync.server";
import { getEnv } from "~/utils/env.server";
import type { SuspensionCategory } from "./status";

async function findCertificate(db: DB, id: string): Promise<Certificate | undefined> {
  return db.selectFrom("certificate").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * An admin suspends a certificate (reversible), with a reason (kept in the audit trail) and a
 * public category (ADR 0027): "under_review" while a concern is looked into reads "Suspended —
 * under review"; anything else reads as the framework's governance. Audited.
 */
export async function suspendCertificate(db: DB, actorId: number, id: string, reason: string, now: Date, category: SuspensionCategory = "governance"): Promise<Result> {
  const cert = await findCertificate(db, id);
  if (!cert) return refuse(404, "There is no such certificate.");
  if (cert.revoked_at) return refuse(409, "This certificate has been revoked; revocation is final.");
  if (cert.superseded_by) return refuse(409, "This certificate has been superseded; act on the current one.");
  if (cert.suspended_at) return refuse(409, "This certificate is already suspended.");
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("certificate").set({ suspended_at: iso(now), suspension_reason: reason, suspended_by: actorId, suspension_category: category === "under_review" ? category : null }).where("id", "=", id).execute();
    await recordAudit(trx, { actorUserId: actorId, action: "certificate.suspended", subjectType: "certificate", subjectId: id, details: { reason, category } }, now);
    await notify(trx, { userId: cert.user_id, kind: "certificate_status", title: "Your certificate has been suspended", body: `An administrator has suspended your certificate. The reason given:\n\n${reason}\n\nWhile it is suspended its verification page says so. Contact the academy if you have questions.`, link: "/dashboard" }, now);
  });
  await invalidatePublicView(db, id);
  // The credential follows: suspension and revocation set its revocation bit and re-sign the
  // status list; reinstatement issues a fresh credential (new index), the old one stays revoked.
  await refreshCertificateCredential(db, id, getEnv().PUBLIC_BASE_URL, now);
  return ok();
}

export async function reinstateCertificate(db: DB, actorId: number, id: string, reason: string, now: Date): Promise<Result> {
  const cert = await findCertificate(db, id);
  if (!cert) return refuse(404, "There is no such certificate.");
  if (!cert.suspended_at || cert.revoked_at) return refuse(409, "Only a suspended certificate can be reinstated.");
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("certificate").set({ suspended_at: null, suspension_reason: null, suspended_by: null, suspension_category: null }).where("id", "=", id).execute();
    await notify(trx, { userId: cert.user_id, kind: "certificate_status", title: "Your certificate has been reinstated", body: "An administrator has lifted the suspension: your certificate is valid again.", link: "/dashboard" }, now);
    await recordAudit(trx, { actorUserId: actorId, action: "certificate.reinstated", subjectType: "certificate", subjectId: id, details: { reason, wasSuspendedAt: cert.suspended_at, wasSuspendedFor: cert.suspension_reason } }, now);
  });
  await invalidatePublicView(db, id);
  // The credential follows: suspension and revocation set its revocation bit and re-sign the
  // status list; reinstatement issues a fresh credential (new index), the old one stays revoked.
  await refreshCertificateCredential(db, id, getEnv().PUBLIC_BASE_URL, now);
  return ok();
}

/** Revocation is final: the certificate can never be valid again. Audited. */
export async function revokeCertificate(db: DB, actorId: number, id: string, reason: string, now: Date): Promise<Result> {
  const cert = await findCertificate(db, id);
  if (!cert) return refuse(404, "There is no such certificate.");
  if (cert.revoked_at) return refuse(409, "This certificate is already revoked.");
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("certificate").set({ revoked_at: iso(now), revocation_reason: reason, revoked_by: actorId }).where("id", "=", id).where("revoked_at", "is", null).execute();
    await recordAudit(trx, { actorUserId: actorId, action: "certificate.revoked", subjectType: "certificate", subjectId: id, details: { reason } }, now);
    await notify(trx, { userId: cert.user_id, kind: "certificate_status", title: "Your certificate has been revoked", body: `An administrator has revoked your certificate. The reason given:\n\n${reason}\n\nRevocation is final. Contact the academy if you have questions.`, link: "/dashboard" }, now);
  });
  await invalidatePublicView(db, id);
  // The credential follows: suspension and revocation set its revocation bit and re-sign the
  // status list; reinstatement issues a fresh credential (new index), the old one stays revoked.
  await refreshCertificateCredential(db, id, getEnv().PUBLIC_BASE_URL, now);
  return ok();
}

/** The trainer's current (or latest) certificate with its live status, for the dashboard. */
export async function getTrainerCertificate(db: DB, userId: number, now: Date) {
  const cert = await db.selectFrom("certificate").selectAll().where("user_id", "=", userId).orderBy("issued_at", "desc").orderBy("id", "desc").executeTakeFirst();
  if (!cert) return null;
  return { id: cert.id, issuedAt: cert.issued_at, expiresOn: cert.expires_on, expiryBasis: cert.expiry_basis, live: await liveStatusOf(db, cert, now) };
}
