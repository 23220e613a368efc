/**
 * `npm run credentials:rotate-key`: retires the academy's current credential signing key and
 * makes a new one (ADR 0013). New credentials are signed with the new did:key; the retired key
 * signs nothing new but keeps re-signing the status lists of the credentials it issued, and both
 * stay listed at /issuer, so credentials already handed out keep verifying. Running servers
 * sign with the new key from their next credential (they look the current key up each time).
 * Never prints a secret.
 */
import { getDb } from "~/db.server";
import { getEnvOrExit } from "~/utils/env.server";
import { serverClock } from "~/utils/clock.server";
import { migrateToLatest } from "~db/migrate";
import { rotateIssuerKey } from "~/certificates/credentials/keys.server";

getEnvOrExit();
const db = getDb();
await migrateToLatest(db);
const { retired, current } = await rotateIssuerKey(db, serverClock());
console.log(retired ? `Retired ${retired}.` : "There was no key yet.");
console.log(`New credentials are signed by ${current}. Tell relying parties who pin the academy's DIDs (the list is at /issuer).`);
await db.destroy();
