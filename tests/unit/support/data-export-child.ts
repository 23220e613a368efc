/**
 * Child process for data-export.test.ts: opens the shared database on a connection of its own,
 * says "ready", waits for "go" on stdin (so every worker starts at once), runs one pass of the
 * data-export worker and prints what it built as JSON.
 */
import { once } from "node:events";
import { buildPendingDataExports } from "~/data-export/exports.server";
import { openSharedDatabase } from "../../helpers/shared-db";

const [target, nowText, evidenceDir] = [process.argv[2]!, process.argv[3]!, process.argv[4]!];
const db = openSharedDatabase(target);
await db.selectFrom("user").select("id").limit(1).execute();
console.log("ready");
await once(process.stdin, "data");
const run = await buildPendingDataExports(db, { now: new Date(nowText), evidenceDir, publicBaseUrl: "https://academy.test" });
await db.destroy();
console.log(JSON.stringify(run));
