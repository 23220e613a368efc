/**
 * Child process for several-nodes.test.ts: one app node's email worker. Opens the shared
 * database on its own connection(s) and delivers queued email until none is left to claim,
 * through a transport that records what it was asked to send. Prints the subjects as JSON.
 */
import { openDatabase } from "~db/connection";
import { deliverPendingEmail } from "~/email/outbox.server";
import { recordingTransport } from "./recording-transport";

const target = process.argv[2]!;
const { db } = openDatabase(/^postgres(ql)?:\/\//.test(target) ? { engine: "postgres", url: target, poolSize: 2 } : { engine: "sqlite", path: target });
const sent: string[] = [];
const transport = recordingTransport(sent);
const now = new Date("2026-06-01T09:00:00Z");
while ((await deliverPendingEmail(db, now, { transport })) > 0) {
  // Keep going until every email is claimed by someone.
}
await db.destroy();
console.log(JSON.stringify(sent));
