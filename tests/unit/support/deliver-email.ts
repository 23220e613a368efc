/**
 * Child process for several-nodes.test.ts: one app node's email worker. Opens the shared
 * database on its own connection and delivers queued email (to the SMTP server named by
 * SMTP_HOST/SMTP_PORT) until there is none left for it to claim. Prints how many it sent.
 */
import { openSharedDatabase } from "../../helpers/shared-db";
import { deliverPendingEmail } from "~/email/outbox.server";

const db = openSharedDatabase(process.argv[2]!);
const now = new Date("2026-06-01T09:00:00Z");
let sent = 0;
for (let batch = await deliverPendingEmail(db, now); batch > 0; batch = await deliverPendingEmail(db, now)) sent += batch;
await db.destroy();
console.log(JSON.stringify({ sent }));
