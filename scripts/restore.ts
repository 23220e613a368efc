/**
 * `npm run restore -- ARCHIVE [--target DIR | --target postgres://…]`: restores a backup made by
 * `npm run backup` into an EMPTY location, after checking every file's checksum, the database's
 * integrity (`PRAGMA integrity_check`) and its schema version (ADR 0024). Without `--target`:
 * DATABASE_URL when set, otherwise DATABASE_PATH and EVIDENCE_DIR (which must not exist yet).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { getEnvOrExit } from "~/utils/env.server";
import { describeTarget, OperatorError, restoreBackup, restoreTargetOf, type RestoreTarget } from "./lib/backup";

const USAGE = "usage: npm run restore -- ARCHIVE [--target DIR | --target postgres://…]";

try {
  let parsed;
  try {
    parsed = parseArgs({ options: { target: { type: "string" } }, allowPositionals: true });
  } catch (error) {
    throw new OperatorError(`${(error as Error).message} (${USAGE})`);
  }
  const [archive, ...extra] = parsed.positionals;
  if (!archive || extra.length > 0) throw new OperatorError(`name one archive (${USAGE})`);
  const env = getEnvOrExit();
  const target: RestoreTarget = parsed.values.target
    ? restoreTargetOf(parsed.values.target)
    : env.DATABASE_URL
      ? { engine: "postgres", url: env.DATABASE_URL }
      : { engine: "sqlite", databasePath: path.resolve(env.DATABASE_PATH), evidenceDir: path.resolve(env.EVIDENCE_DIR) };
  const { manifest, milliseconds } = await restoreBackup(archive, target);
  console.log(`Restored ${path.basename(archive)} (taken ${manifest.createdAt}, schema ${manifest.schemaVersion}) into ${describeTarget(target)} in ${(milliseconds / 1000).toFixed(1)} s.`);
  console.log(`  Checked: ${manifest.files.length} checksums, ${manifest.engine === "sqlite" ? "PRAGMA integrity_check ok, " : ""}row counts of ${Object.keys(manifest.tables).length} tables.`);
  if (target.engine === "sqlite") console.log(`  Start it with: DATABASE_PATH=${target.databasePath} EVIDENCE_DIR=${target.evidenceDir} npm start`);
  else console.log("  Start it with: DATABASE_URL=<that database> npm start");
} catch (error) {
  console.error(`Restore refused: ${error instanceof OperatorError ? error.message : String((error as Error).message ?? error)}`);
  process.exit(1);
}
