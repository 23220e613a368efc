/**
 * `npm run jobs`: run the scheduled entry-requirement work once (the server also runs it at start
 * and hourly): mark lapsed insurance expired, flag DBS re-checks due, send reminders once per
 * warning window, erase DBS certificate details after the retention period; tell certified
 * trainers about a new agreement version (and when its re-acceptance window ends); issue any
 * certificate that should exist and does not (normally none, ADR 0018); then bring the
 * credentials' status list bits in line with the certificates' live status; delete expired
 * sessions, old throttle counters, spent links and sent emails after their retention. With
 * several app nodes on PostgreSQL, one process at a time runs them (an advisory lock, ADR 0021).
 */
import { getDb } from "~/db.server";
import { getEnvOrExit } from "~/utils/env.server";
import { serverClock } from "~/utils/clock.server";
import { runScheduledJobs } from "~/jobs/scheduled.server";
import { migrateToLatest } from "~db/migrate";

const env = getEnvOrExit();
const db = getDb();
await migrateToLatest(db);
const outcome = await runScheduledJobs(db, { now: serverClock, publicBaseUrl: env.PUBLIC_BASE_URL, evidenceDir: env.EVIDENCE_DIR });
if (outcome.ran) {
  console.log(`Entry-requirement jobs done: ${JSON.stringify(outcome.result.entryRequirements)}`);
  console.log(`Agreement re-acceptance: ${JSON.stringify(outcome.result.agreement)}`);
  console.log(`Certificates that should have existed: ${outcome.result.missingCertificates.issued} issued (${outcome.result.missingCertificates.checked} trainers checked).`);
  console.log(`Credential statuses: ${JSON.stringify(outcome.result.credentials)}; emails sent: ${outcome.result.emailsSent}`);
  console.log(`Housekeeping: ${JSON.stringify(outcome.result.housekeeping)}`);
  console.log(`Data exports: ${JSON.stringify(outcome.result.dataExports)}`);
} else {
  // Another node (or a server's hourly run) holds the lock: the work is being done now.
  console.log("Another process is running the scheduled jobs right now; nothing done. Try again when it has finished.");
}
await db.destroy();
