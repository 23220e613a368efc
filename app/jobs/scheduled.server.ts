import type { DB } from "~db/connection";
import { log } from "~/utils/log.server";
import { runExclusively } from "~db/dialect";
import { runEntryRequirementJobs } from "~/jobs/entry-requirements.server";
import { deliverPendingEmail } from "~/email/outbox.server";
import { syncCredentialStatuses } from "~/certificates/credentials/sync.server";
import { issueMissingCertificates } from "~/certificates/reconcile.server";
import { runHousekeeping } from "~/jobs/housekeeping.server";
import { runAgreementJobs } from "~/agreement/reacceptance.server";
import { runSupervisionJobs } from "~/jobs/supervision.server";
import { sendDailyDigests } from "~/notifications/digest.server";
import { buildPendingDataExports, deleteExpiredDataExports } from "~/data-export/exports.server";
import { getEnv } from "~/utils/env.server";

/** The name the scheduled jobs' lock is taken under (an advisory lock on PostgreSQL). */
export const SCHEDULED_JOBS_LOCK = "scheduled-jobs";

export interface ScheduledJobsSummary {
  entryRequirements: Awaited<ReturnType<typeof runEntryRequirementJobs>>;
  agreement: Awaited<ReturnType<typeof runAgreementJobs>>;
  supervision: Awaited<ReturnType<typeof runSupervisionJobs>>;
  /** Daily notification digests queued this run (from 07:00 UK, once per person per day: ADR 0028). */
  digests: number;
  emailsSent: number;
  /** Certificates that should have existed and did not (normally none; ADR 0018). */
  missingCertificates: Awaited<ReturnType<typeof issueMissingCertificates>>;
  credentials: Awaited<ReturnType<typeof syncCredentialStatuses>>;
  housekeeping: Awaited<ReturnType<typeof runHousekeeping>>;
  /** Data exports built (any a serving process's worker left) and expired ZIPs deleted (ADR 0033). */
  dataExports: { built: number; failed: number; deleted: number };
}

/**
 * The scheduled work (the server runs it at start and hourly; `npm run jobs` once): the
 * entry-requirement jobs (expiry, re-checks, reminders, DBS retention), the agreement notices
 * (a new version to accept, its re-acceptance window ended: ADR 0015), a first batch of the
 * email they queue, any certificate that should exist and does not (ADR 0018), the credentials'
 * revocation bits, and housekeeping (expired sessions, old
 * counters, spent links and sent emails after their retention). (Each node cleans its own half-received
 * uploads: that is not shared work.)
 *
 * With several app nodes every node's primary process tries it each hour, but exactly one runs
 * it at a time: the others find the lock taken and skip (`ran: false`); the work is idempotent,
 * so a node that runs after another has finished finds nothing left to do (ADR 0021).
 */
export async function runScheduledJobs(db: DB, options: { now: () => Date; publicBaseUrl: string; evidenceDir?: string; observe?: JobObserver }) {
  const evidenceDir = options.evidenceDir ?? getEnv().EVIDENCE_DIR;
  const step = <T>(job: string, run: () => Promise<T>) => timed(job, run, options.observe);
  return runExclusively(db, SCHEDULED_JOBS_LOCK, async (): Promise<ScheduledJobsSummary> => {
    const entryRequirements = await step("entry-requirements", () => runEntryRequirementJobs(db, options.now(), options.publicBaseUrl));
    // Certified trainers are told about a new agreement version, and again when its window ends.
    const agreement = await step("agreement", () => runAgreementJobs(db, options.now(), options.publicBaseUrl));
    // Supervision due and overdue: trainer, supervisor (and, when overdue, admins) told once each.
    const supervision = await step("supervision", () => runSupervisionJobs(db, options.now()));
    // Staff (and anyone who chose it) get one email a day for what waited for the digest.
    const digests = await step("digests", () => sendDailyDigests(db, options.now()));
    // The jobs only queue their emails; send a first batch now (the rest go on later runs).
    const emailsSent = await step("email", () => deliverPendingEmail(db, options.now()));
    // Every trigger issues in its own transaction; this finds any certificate that should exist and does not.
    const missingCertificates = await step("missing-certificates", () => issueMissingCertificates(db, options.publicBaseUrl, options.now()));
    if (missingCertificates.issued > 0) log().warn({ issued: missingCertificates.issued, checked: missingCertificates.checked }, "Issued certificate(s) that should already have existed");
    // Lapsed evidence suspends certificates: their credentials' revocation bits follow.
    const credentials = await step("credential-statuses", () => syncCredentialStatuses(db, options.publicBaseUrl, options.now()));
    // Expired sessions, old counters, spent links and sent emails, after their retention.
    const housekeeping = await step("housekeeping", () => runHousekeeping(db, options.now()));
    // Data exports: any still waiting (normally the serving processes' workers built them), and
    // the ZIPs past their 7 days deleted.
    const dataExports = await step("data-exports", async () => {
      const run = await buildPendingDataExports(db, { now: options.now(), evidenceDir, publicBaseUrl: options.publicBaseUrl });
      return { ...run, deleted: await deleteExpiredDataExports(db, evidenceDir, options.now()) };
    });
    return { entryRequirements, agreement, supervision, digests, emailsSent, missingCertificates, credentials, housekeeping, dataExports };
  });
}

/** Told how long each job took and whether it failed (the metrics, ADR 0036). */
export type JobObserver = (job: string, seconds: number, failed: boolean) => void;

async function timed<T>(job: string, run: () => Promise<T>, observe: JobObserver | undefined): Promise<T> {
  const started = performance.now();
  try {
    const result = await run();
    observe?.(job, (performance.now() - started) / 1000, false);
    return result;
  } catch (error) {
    observe?.(job, (performance.now() - started) / 1000, true);
    log().error({ err: error, job }, "A scheduled job failed");
    throw error;
  }
}
