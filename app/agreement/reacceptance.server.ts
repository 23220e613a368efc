/**
 * The re-acceptance window (issue 9, ADR 0015). When a new version of the agreement is
 * published, certified trainers who accepted an older one keep a valid certificate, with the
 * scope they accepted, for the window set in the policy (default 30 days, counted from the day
 * the version was first served). They are told on the dashboard and by email; after the window
 * the live status reads "Suspended — agreement not accepted" until they accept.
 */
import type { DB } from "~db/connection";
import { iso } from "~/utils/clock";
import { addDays, formatDate, londonDayOf, ukToday } from "~/utils/dates";
import { recordAudit } from "~/audit/audit.server";
import { getPolicy } from "~/policy/policy.server";
import type { EntryPolicy } from "~/policy/policy";
import { chunks, remindOnceEach } from "~/jobs/batch.server";
import { agreementOverdue, type AgreementStanding } from "./standing";
import { getCurrentAgreement } from "./agreement.server";

/** The agreement version in force and its window: what the live status of every certificate reads. */
export interface AgreementRule {
  currentVersion: string;
  label: string;
  publishedAt: string;
  windowDays: number;
  /** The first day on which a trainer who has not accepted this version reads suspended. */
  windowEndsOn: string;
}

declare global {
  var __academyAgreementPublished: Map<string, string> | undefined;
}

/**
 * Records when the agreement being served was first published (idempotent: run at every start
 * and whenever the rule is read), and audits a first publication. Returns its publication time.
 */
export async function recordAgreementPublication(db: DB, now: Date): Promise<string | null> {
  const agreement = getCurrentAgreement();
  if (!agreement) return null;
  const known = globalThis.__academyAgreementPublished?.get(agreement.version);
  if (known) return known;
  const inserted = await db
    .insertInto("agreement_version")
    .values({ version: agreement.version, label: agreement.versionLabel, published_at: iso(now) })
    .onConflict((oc) => oc.column("version").doNothing())
    .returning("published_at")
    .executeTakeFirst();
  if (inserted) {
    await recordAudit(db, { actorUserId: null, action: "agreement.published", subjectType: "agreement", subjectId: agreement.version, details: { label: agreement.versionLabel, publishedAt: inserted.published_at } }, now);
  }
  const row = await db.selectFrom("agreement_version").select("published_at").where("version", "=", agreement.version).executeTakeFirstOrThrow();
  (globalThis.__academyAgreementPublished ??= new Map()).set(agreement.version, row.published_at);
  return row.published_at;
}

/** The version in force and the end of its re-acceptance window, or null when no agreement is published. */
export async function getAgreementRule(db: DB, now: Date, policy?: EntryPolicy): Promise<AgreementRule | null> {
  const agreement = getCurrentAgreement();
  if (!agreement) return null;
  const publishedAt = (await recordAgreementPublication(db, now))!;
  const { agreementReacceptanceDays } = policy ?? (await getPolicy(db));
  return {
    currentVersion: agreement.version,
    label: agreement.versionLabel,
    publishedAt,
    windowDays: agreementReacceptanceDays,
    windowEndsOn: addDays(londonDayOf(publishedAt), agreementReacceptanceDays),
  };
}

/** One trainer's standing on the agreement in force. */
export async function agreementStanding(db: DB, userId: number, rule: AgreementRule | null): Promise<AgreementStanding> {
  if (!rule) return { acceptedCurrent: false, windowEndsOn: null };
  const accepted = await db.selectFrom("agreement_acceptance").select("id").where("user_id", "=", userId).where("agreement_version", "=", rule.currentVersion).executeTakeFirst();
  return { acceptedCurrent: accepted !== undefined, windowEndsOn: rule.windowEndsOn };
}

/** What a certified trainer's dashboard says about a newer agreement, or null when there is nothing to say. */
export interface ReacceptanceNotice {
  label: string;
  publishedOn: string;
  /** The last day the certificate stays valid without accepting. */
  acceptBy: string;
  overdue: boolean;
}

export async function reacceptanceNotice(db: DB, userId: number, now: Date): Promise<ReacceptanceNotice | null> {
  const rule = await getAgreementRule(db, now);
  if (!rule) return null;
  const certified = await db.selectFrom("certificate").select("id").where("user_id", "=", userId).where("revoked_at", "is", null).where("superseded_by", "is", null).executeTakeFirst();
  if (!certified) return null;
  const standing = await agreementStanding(db, userId, rule);
  if (standing.acceptedCurrent) return null;
  return { label: rule.label, publishedOn: londonDayOf(rule.publishedAt), acceptBy: addDays(rule.windowEndsOn, -1), overdue: agreementOverdue(standing, ukToday(now)) };
}

/**
 * The scheduled step: every trainer with a current certificate who has not accepted the version
 * in force is told once that it was published (with the date to accept by) and, once the window
 * has ended, once that their certificate reads suspended until they accept. Each notice is
 * audited and emailed through the outbox (remindOnceEach). The credential status lists follow
 * through the credential sync that runs after the jobs.
 */
export async function runAgreementJobs(db: DB, now: Date, baseUrl = ""): Promise<{ told: number; suspended: number }> {
  const rule = await getAgreementRule(db, now);
  if (!rule) return { told: 0, suspended: 0 };
  const today = ukToday(now);
  const overdue = today >= rule.windowEndsOn;
  const pending = await db
    .selectFrom("certificate")
    .select(["certificate.id", "certificate.user_id"])
    .where("certificate.revoked_at", "is", null)
    .where("certificate.superseded_by", "is", null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("agreement_acceptance").select("agreement_acceptance.id").whereRef("agreement_acceptance.user_id", "=", "certificate.user_id").where("agreement_acceptance.agreement_version", "=", rule.currentVersion))),
    )
    .orderBy("certificate.id")
    .execute();
  const link = `${baseUrl}/agreement`;
  const acceptBy = formatDate(addDays(rule.windowEndsOn, -1));
  let told = 0;
  let suspended = 0;
  for (const batch of chunks(pending)) {
    // Inside the window: told once that the version was published. After it: told once that the
    // certificate reads suspended (which also tells anyone the first notice missed).
    const sent = await db.transaction().execute((trx) =>
      remindOnceEach(
        trx,
        batch.map((c) => ({
          userId: c.user_id,
          kind: overdue ? "agreement_not_accepted" : "agreement_new_version",
          subjectType: "user",
          subjectId: c.user_id,
          windowKey: rule.currentVersion,
          link: "/agreement",
          subject: overdue ? "Your certificate is suspended: agreement not accepted" : "A new version of the scope of practice agreement",
          text: overdue
            ? `You have not accepted version ${rule.label} of the scope of practice and communication agreement, and the time to accept it ended on ${acceptBy}. Your certificate now reads "Suspended — agreement not accepted". It is restored as soon as you read and accept the agreement: ${link}`
            : `Version ${rule.label} of the scope of practice and communication agreement has been published. Read and accept it by ${acceptBy}. Until then your certificate stays valid, with the scope you accepted; after that it reads "Suspended — agreement not accepted" until you accept. ${link}`,
        })),
        now,
      ),
    );
    if (overdue) suspended += sent;
    else told += sent;
  }
  return { told, suspended };
}
