/**
 * Child process for races.test.ts: opens the shared database on a connection of its own, says
 * "ready", waits for "go" on stdin (so every racer starts at once), then fires the same trigger
 * for each trainer in turn and prints a JSON summary of what each call answered.
 */
import { once } from "node:events";
import { issueCertificateIfEligible } from "~/certificates/issue.server";
import { startAttempt } from "~/assessment/attempts.server";
import { getModule } from "~/content/catalog.server";
import { openSharedDatabase } from "../../helpers/shared-db";

const [target, mode, trainerIds] = [process.argv[2]!, process.argv[3] as "certificate" | "attempt", process.argv[4]!.split(",").map(Number)];
const now = new Date(process.argv[5]!);
const db = openSharedDatabase(target);
getModule("safeguarding"); // load the content before the start line, not during the race
await db.selectFrom("user").select("id").limit(1).execute();
console.log("ready");
await once(process.stdin, "data");

const answers: { trainerId: number; answer: string }[] = [];
for (const trainerId of trainerIds) {
  try {
    if (mode === "certificate") {
      const result = await issueCertificateIfEligible(db, trainerId, now);
      answers.push({ trainerId, answer: result.issued ? "issued" : result.reason });
    } else {
      const result = await startAttempt(db, trainerId, "safeguarding", now);
      answers.push({ trainerId, answer: result.ok ? (result.value.resumed ? "resumed" : "started") : `refused ${result.status}` });
    }
  } catch (error) {
    const e = error as { code?: string; message?: string };
    answers.push({ trainerId, answer: `error ${e.code ?? ""} ${e.message ?? String(error)}`.slice(0, 200) });
  }
}
await db.destroy();
console.log(JSON.stringify(answers));
