/**
 * `npm run jobs`: run the scheduled entry-requirement work once (the server also runs it at start
 * and hourly): mark lapsed insurance expired, flag DBS re-checks due, send reminders once per
 * warning window, erase DBS certificate details after the retention period; tell certified
 * trainers about a new agreement version (and when its re-acceptance window ends); then bring the
 * credentials' status list bits in line with the certificates' live status; delete expired
 * sessions, old throttle counters, spent links and sent emails after their retention.
 */
import { getDb } from "~/db.server";
import { getEnvOrExit } from "~/utils/env.server";
import { serverClock } from "~/utils/clock.server";
import { runEntryRequirementJobs } from "~/jobs/entry-requirements.server";
import { deliverPendingEmail } from "~/email/outbox.server";
import { runHousekeeping } from "~/jobs/housekeeping.server";
import { migrateToLatest } from "~db/migrate";
import { syncCredentialStatuses } from "~/certificates/credentials/sync.server";
import { runAgreementJobs } from "~/agreement/reacceptance.server";

const env = getEnvOrExit();
const db = getDb();
await migrateToLatest(db);
const summary = await runEntryRequirementJobs(db, serverClock(), env.PUBLIC_BASE_URL);
console.log(`Entry-requirement jobs done: ${JSON.stringify(summary)}`);
const agreement = await runAgreementJobs(db, serverClock(), env.PUBLIC_BASE_URL);
console.log(`Agreement re-acceptance: ${JSON.stringify(agreement)}`);
const credentials = await syncCredentialStatuses(db, env.PUBLIC_BASE_URL, serverClock());
console.log(`Credential statuses: ${JSON.stringify(credentials)}`);
await deliverPendingEmail(db, serverClock());
console.log(`Housekeeping: ${JSON.stringify(await runHousekeeping(db, serverClock()))}`);
await db.destroy();
