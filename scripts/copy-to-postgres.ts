/**
 * `npm run db:copy-to-postgres [-- --from FILE --evidence DIR --to postgres://…]`: copies the SQLite
 * installation (default DATABASE_PATH and EVIDENCE_DIR) into an EMPTY PostgreSQL database
 * (default DATABASE_URL): migrates it, copies every table in batches keeping ids, puts the
 * evidence files into the database (ADR 0022), restarts the id sequences, then prints each
 * table's row count and checksum on both sides; exit 1 on any difference. The SQLite files are
 * only read: stop the server first, so nothing is written during the copy.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { getEnvOrExit } from "~/utils/env.server";
import { OperatorError } from "./lib/backup";
import { copyToPostgres, formatComparison } from "./lib/copy-to-postgres";

const USAGE = "usage: DATABASE_URL=postgres://…/NEW npm run db:copy-to-postgres [-- --from data/academy.sqlite --evidence data/evidence --to postgres://…]";

try {
  let values;
  try {
    values = parseArgs({ options: { from: { type: "string" }, evidence: { type: "string" }, to: { type: "string" } } }).values;
  } catch (error) {
    throw new OperatorError(`${(error as Error).message} (${USAGE})`);
  }
  const env = getEnvOrExit();
  const to = values.to ?? env.DATABASE_URL;
  if (!to || !/^postgres(ql)?:\/\//.test(to)) throw new OperatorError(`name the PostgreSQL database to copy into (${USAGE})`);
  const from = path.resolve(values.from ?? env.DATABASE_PATH);
  const evidence = path.resolve(values.evidence ?? env.EVIDENCE_DIR);
  const report = await copyToPostgres(from, evidence, to);
  console.log(formatComparison(report));
  if (report.missingEvidence.length > 0) console.log(`\n${report.missingEvidence.length} evidence files named in the database are not in ${evidence}: ${report.missingEvidence.slice(0, 5).join(", ")}`);
  console.log(`\n${report.ok ? "Copied and verified" : "Copied, but the comparison FAILED"}: ${report.comparisons.length} tables, ${report.evidence.targetRows} evidence files, ${report.identities} id sequences restarted, in ${(report.milliseconds / 1000).toFixed(1)} s.`);
  if (!report.ok) process.exit(1);
  console.log(`Start the site on it with DATABASE_URL set to that database (npm start).`);
} catch (error) {
  console.error(`Copy refused: ${error instanceof OperatorError ? error.message : String((error as Error).message ?? error)}`);
  process.exit(1);
}
