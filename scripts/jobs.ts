/**
 * `npm run jobs`: run the scheduled entry-requirement work once (the server also runs it at start
 * and hourly): mark lapsed insurance expired, flag DBS re-checks due, send reminders once per
 * warning window, erase DBS certificate details after the retention period.
 */
import { getDb } from "~/db.server";
import { getEnvOrExit } from "~/utils/env.server";
import { serverClock } from "~/utils/clock.server";
import { runEntryRequirementJobs } from "~/jobs/entry-requirements.server";
import { deliverPendingEmail } from "~/email/outbox.server";
import { migrateToLatest } from "~db/migrate";

const env = getEnvOrExit();
const db = getDb();
await migrateToLatest(db);
const summary = await runEntryRequirementJobs(db, serverClock(), env.PUBLIC_BASE_URL);
console.log(`Entry-requirement jobs done: ${JSON.stringify(summary)}`);
await deliverPendingEmail(db, serverClock());
await db.destroy();
