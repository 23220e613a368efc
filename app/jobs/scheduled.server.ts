import type { DB } from "~db/connection";
import { runExclusively } from "~db/dialect";
import { runEntryRequirementJobs } from "~/jobs/entry-requirements.server";
import { deliverPendingEmail } from "~/email/outbox.server";
import { syncCredentialStatuses } from "~/certificates/credentials/sync.server";
import { issueMissingCertificates } from "~/certificates/reconcile.server";
import { runHousekeeping } from "~/jobs/housekeeping.server";
import { runAgreementJobs } from "~/agreement/reacceptance.server";

/** The name the scheduled jobs' lock is taken under (an advisory lock on PostgreSQL). */
export const SCHEDULED_JOBS_LOCK = "scheduled-jobs";

export interface ScheduledJobsSummary {
  entryRequirements: Awaited<ReturnType<typeof runEntryRequirementJobs>>;
  agreement: Awaited<ReturnType<typeof runAgreementJobs>>;
  emailsSent: number;
  /** Certificates that should have existed and did not (normally none; ADR 0018). */
  missingCertificates: Awaited<ReturnType<typeof issueMissingCertificates>>;
  credentials: Awaited<ReturnType<typeof syncCredentialStatuses>>;
  housekeeping: Awaited<ReturnType<typeof runHousekeeping>>;
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
export async function runScheduledJobs(db: DB, options: { now: () => Date; publicBaseUrl: string }) {
  return runExclusively(db, SCHEDULED_JOBS_LOCK, async (): Promise<ScheduledJobsSummary> => {
    const entryRequirements = await runEntryRequirementJobs(db, options.now(), options.publicBaseUrl);
    // Certified trainers are told about a new agreement version, and again when its window ends.
    const agreement = await runAgreementJobs(db, options.now(), options.publicBaseUrl);
    // The jobs only queue their emails; send a first batch now (the rest go on later runs).
    const emailsSent = await deliverPendingEmail(db, options.now());
    // Every trigger issues in its own transaction; this finds any certificate that should exist and does not.
    const missingCertificates = await issueMissingCertificates(db, options.publicBaseUrl, options.now());
    if (missingCertificates.issued > 0) console.warn(`Issued ${missingCertificates.issued} certificate(s) that should already have existed (of ${missingCertificates.checked} trainers checked).`);
    // Lapsed evidence suspends certificates: their credentials' revocation bits follow.
    const credentials = await syncCredentialStatuses(db, options.publicBaseUrl, options.now());
    // Expired sessions, old counters, spent links and sent emails, after their retention.
    const housekeeping = await runHousekeeping(db, options.now());
    return { entryRequirements, agreement, emailsSent, missingCertificates, credentials, housekeeping };
  });
}
