/**
 * `npm run backup [-- --out DIR]`: writes one archive, `DIR/academy-backup-<time>.tar.gz` (default
 * DIR: backups/), while the site keeps serving (ADR 0024). SQLite (DATABASE_PATH): a consistent
 * snapshot through the online backup API, the evidence files it refers to (EVIDENCE_DIR) and a
 * manifest with checksums. PostgreSQL (DATABASE_URL): `pg_dump -Fc` (evidence and the signing
 * key are in the database) and the manifest. Restore with `npm run restore`.
 */
import { parseArgs } from "node:util";
import { databaseConfig } from "~/db.server";
import { getEnvOrExit } from "~/utils/env.server";
import { createBackup, OperatorError } from "./lib/backup";

const USAGE = "usage: npm run backup [-- --out DIR]";

try {
  const { values } = parseArgs({ options: { out: { type: "string", default: "backups" } }, allowPositionals: false });
  const env = getEnvOrExit();
  const { archive, manifest, milliseconds } = await createBackup(databaseConfig(env), env.EVIDENCE_DIR, values.out!);
  const evidence = manifest.files.filter((f) => f.path.startsWith("evidence/")).length;
  const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
  console.log(`Backup written: ${archive}`);
  console.log(`  ${manifest.source}, schema ${manifest.schemaVersion}, ${Object.values(manifest.tables).reduce((a, b) => a + b, 0)} rows in ${Object.keys(manifest.tables).length} tables`);
  if (manifest.engine === "sqlite") console.log(`  ${evidence} evidence files; ${(bytes / 1e6).toFixed(1)} MB before compression; took ${(milliseconds / 1000).toFixed(1)} s`);
  else console.log(`  pg_dump custom format (evidence and signing key inside); took ${(milliseconds / 1000).toFixed(1)} s`);
  if (manifest.missingEvidence.length > 0) console.warn(`  Warning: ${manifest.missingEvidence.length} evidence files named in the database were not in the folder: ${manifest.missingEvidence.slice(0, 5).join(", ")}`);
  console.log("  It holds the signing key and personal data: store it encrypted, and delete it after 30 days (README, Backup and restore).");
} catch (error) {
  console.error(`Backup failed: ${error instanceof OperatorError ? error.message : error instanceof TypeError && /parseArgs|option/i.test(error.message) ? `${error.message} (${USAGE})` : String((error as Error).message ?? error)}`);
  process.exit(1);
}
