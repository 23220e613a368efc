import { createHash } from "node:crypto";
import type { DB } from "~db/connection";
import { retryOnUniqueViolation } from "~db/dialect";
import { iso } from "~/utils/clock";
import { recordAudit } from "~/audit/audit.server";
import { notify } from "~/notifications/notify.server";
import { randomToken } from "~/utils/random.server";
import { ukToday } from "~/utils/dates";
import { evaluateEligibility, type TrainerFacts } from "./eligibility";
import { loadTrainerFacts } from "./facts.server";
import { getCurrentAgreement } from "~/agreement/agreement.server";
import { revokeIssuedCredential } from "./credentials/status-list.server";

export const ISSUER = "RMR Medical-Legal Personal Trainer Framework";

/** The facts a certificate rests on. A change (renewed insurance, a re-check, a new agreement) may issue a new one. */
export function eligibilityKey(facts: TrainerFacts): string {
  const basis = {
    qualification: facts.entry.qualification?.id ?? null,
    insurance: facts.entry.insurance ? [facts.entry.insurance.id, facts.entry.insurance.endDate] : null,
    dbs: facts.entry.dbs ? [facts.entry.dbs.id, facts.entry.dbs.decidedAt, facts.entry.dbs.recheckDueOn] : null,
    modules: facts.modules.map((m) => [m.slug, m.passed?.version ?? null, m.passed?.at ?? null]),
    report: [facts.reportTask.releasedAt, facts.reportTask.version],
    agreement: facts.agreement.acceptedVersion,
  };
  return createHash("sha256").update(JSON.stringify(basis)).digest("hex");
}

export type IssueResult = { issued: true; certificateId: string; superseded: string | null } | { issued: false; reason: string };

/**
 * Issues a certificate the moment a trainer becomes eligible, and never otherwise. Call it after
 * any change that can make a trainer eligible, with the transaction that made the change, so the
 * change and the certificate commit together. Idempotent: with the same facts it issues nothing;
 * with changed facts (renewed evidence) it issues a new certificate that supersedes the current
 * one. A database index allows one current certificate per trainer, so concurrent triggers
 * cannot issue two: the loser of the race (PostgreSQL, several connections) runs again and
 * finds the winner's certificate (ADR 0012).
 */
export async function issueCertificateIfEligible(db: DB, userId: number, now: Date): Promise<IssueResult> {
  if (!db.isTransaction) return db.transaction().execute((trx) => issueCertificateIfEligible(trx, userId, now));
  return retryOnUniqueViolation(db, () => issueOnce(db, userId, now));
}

async function issueOnce(db: DB, userId: number, now: Date): Promise<IssueResult> {
  const user = await db.selectFrom("user").select(["id", "name", "role", "disabled_at"]).where("id", "=", userId).executeTakeFirst();
  if (!user || user.role !== "trainer" || user.disabled_at) return { issued: false, reason: "not an active trainer" };
  const facts = await loadTrainerFacts(db, userId);
  const eligibility = evaluateEligibility(facts, ukToday(now));
  if (!eligibility.eligible) return { issued: false, reason: eligibility.unmet.map((u) => u.key).join(", ") };

  const key = eligibilityKey(facts);
  const latest = await db.selectFrom("certificate").selectAll().where("user_id", "=", userId).orderBy("issued_at", "desc").orderBy("id", "desc").executeTakeFirst();
  const current = await db.selectFrom("certificate").selectAll().where("user_id", "=", userId).where("superseded_by", "is", null).where("revoked_at", "is", null).executeTakeFirst();
  if (latest?.revoked_at && !current) return { issued: false, reason: "the trainer's last certificate was revoked" };
  if (current?.suspended_at) return { issued: false, reason: "the current certificate is suspended by an administrator" };
  if (current && current.eligibility_key === key) return { issued: false, reason: "already certified on these facts" };

  const id = randomToken(20);
  const agreement = getCurrentAgreement();
  if (current) {
    await db.updateTable("certificate").set({ superseded_by: id, superseded_at: iso(now) }).where("id", "=", current.id).where("superseded_by", "is", null).execute();
    // The old credential's revocation bit is set in the same transaction; its status list is
    // re-signed after commit, when the new certificate's documents are made.
    const oldCredential = await db.selectFrom("issued_credential").select("id").where("certificate_id", "=", current.id).where("revoked_at", "is", null).executeTakeFirst();
    if (oldCredential) await revokeIssuedCredential(db, oldCredential.id, "certificate superseded", now);
  }
  await db
    .insertInto("certificate")
    .values({
      id,
      user_id: userId,
      trainer_name: user.name,
      issued_at: iso(now),
      expires_on: eligibility.expiresOn,
      expiry_basis: eligibility.expiryBasis,
      validity_ends_on: eligibility.validityEndsOn,
      agreement_version: facts.agreement.acceptedVersion!,
      modules_json: JSON.stringify(facts.modules.map((m) => ({ slug: m.slug, title: m.title, passedAt: m.passed!.at, version: m.passed!.version }))),
      report_json: JSON.stringify({ releasedAt: facts.reportTask.releasedAt, version: facts.reportTask.version }),
      scope_json: JSON.stringify({ may: agreement?.may ?? [], mayNot: agreement?.mayNot ?? [] }),
      issuer: ISSUER,
      eligibility_key: key,
      superseded_by: null,
      superseded_at: null,
      suspended_at: null,
      suspension_reason: null,
      suspended_by: null, suspension_category: null,
      revoked_at: null,
      revocation_reason: null,
      revoked_by: null,
      pdf: null,
    })
    .execute();
  await recordAudit(
    db,
    {
      actorUserId: null,
      action: "certificate.issued",
      subjectType: "certificate",
      subjectId: id,
      details: { trainerUserId: userId, expiresOn: eligibility.expiresOn, expiryBasis: eligibility.expiryBasis, supersedes: current?.id ?? null },
    },
    now,
  );
  await notify(
    db,
    {
      userId,
      kind: "certificate_issued",
      title: current ? "Your renewed certificate has been issued" : "Your Approved Trainer certificate has been issued",
      body: current
        ? "A new certificate has been issued on your renewed evidence. It replaces your previous certificate, which now reads superseded. Download it from your dashboard."
        : "You have met every requirement of the framework and your certificate has been issued. Download it and share its verification link from your dashboard.",
      link: "/dashboard",
    },
    now,
  );
  return { issued: true, certificateId: id, superseded: current?.id ?? null };
}
