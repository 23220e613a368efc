/**
 * Child process for credential-status-race.test.ts: opens the shared database file on its own
 * connection and reserves status list slots for the given certificates, drawing indexes from a
 * deliberately small range so that processes collide. Prints a JSON summary.
 */
import { openSharedDatabase } from "../../helpers/shared-db";
import { currentIssuerKey } from "~/certificates/credentials/keys.server";
import { allocateStatusSlot } from "~/certificates/credentials/status-list.server";

const [target, certificateIds, range] = [process.argv[2]!, process.argv[3]!.split(","), Number(process.argv[4])];
// A SQLite file, or a PostgreSQL database URL: each process has its own connection.
const db = openSharedDatabase(target);
const now = new Date("2026-06-01T09:00:00Z");
const key = await currentIssuerKey(db, now);
let draws = 0;
const draw = () => {
  draws += 1;
  return Math.floor(Math.random() * range);
};
let allocated = 0;
for (const certificateId of certificateIds) {
  const slot = await allocateStatusSlot(db, key, { credentialId: `${certificateId}c`, certificateId, identitySalt: "salt" }, now, draw);
  if (slot.allocated) allocated += 1;
  // Yield so the other processes interleave with this one.
  await new Promise((resolve) => setImmediate(resolve));
}
await db.destroy();
console.log(JSON.stringify({ allocated, draws }));
