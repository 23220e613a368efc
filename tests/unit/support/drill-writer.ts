/**
 * Child process for backup-restore.test.ts: one writer of the restore drill. Opens the shared
 * database on a connection of its own and, until `durationMs` has passed, writes through the
 * app's own functions: an audit event, an outbox email, and every fifth time an evidence file
 * (staged and committed as an upload is, then its row), until "stop" arrives on stdin. After each
 * write has committed it prints one line, `{"kind":…,"key":…}`: an acknowledged write, which any
 * later backup must hold.
 */
import { randomBytes } from "node:crypto";
import { recordAudit } from "~/audit/audit.server";
import { queueEmails } from "~/email/outbox.server";
import { commitEvidenceFile, stageUpload } from "~/evidence/files.server";
import { openSharedDatabase } from "../../helpers/shared-db";
import { tinyPdf } from "../../helpers/evidence";

const [target, writer, ownerUserId, evidenceDir] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4]), process.argv[5]!];
const db = openSharedDatabase(target);
const ack = (kind: string, key: string) => process.stdout.write(`${JSON.stringify({ kind, key })}\n`);
async function* chunksOf(bytes: Buffer) {
  yield new Uint8Array(bytes);
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

await db.selectFrom("user").select("id").limit(1).execute();
ack("ready", writer);
let stopped = false;
process.stdin.on("data", () => (stopped = true));
for (let seq = 1; !stopped; seq += 1) {
  const key = `${writer}-${seq}`;
  const now = new Date();
  await recordAudit(db, { actorUserId: null, action: "drill.write", subjectType: "drill", subjectId: key, details: { writer, seq, payload: randomBytes(64).toString("hex") } }, now);
  ack("audit", key);
  await queueEmails(db, [{ to: `${key}@drill.example.test`, subject: `Drill ${key}`, text: "Restore drill" }], now);
  ack("email", key);
  if (seq % 5 === 0) {
    const pdf = Buffer.concat([tinyPdf(), Buffer.from(`% ${key} ${randomBytes(16).toString("hex")}\n`)]);
    const staged = await stageUpload(chunksOf(pdf), { evidenceDir, clientFileName: `${key}.pdf` });
    if (!staged.ok) throw new Error(`staging failed: ${staged.reason}`);
    const row = await commitEvidenceFile(db, staged.file, evidenceDir, ownerUserId, now);
    await db.insertInto("evidence_file").values({ ...row, display_name: key }).execute();
    ack("evidence", key);
  }
  await pause(10);
}
process.stdin.destroy();
await db.destroy();
