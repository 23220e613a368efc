/**
 * Child of tests/unit/lazy-packages.test.ts: imports every server-side module of the app (each
 * file under app/ except the browser's own: islands and entry.client), as a server process
 * loads them; then, with `--draw-pdf`, lays out a certificate PDF, and with
 * `--credential-libraries`, loads what signing or checking a credential loads.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "islands" ? [] : files(full);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts") && entry.name !== "entry.client.tsx" ? [full] : [];
  });
}

const modules = files(path.resolve("app"));
for (const file of modules) await import(pathToFileURL(file).href);
if (process.argv.includes("--draw-pdf")) {
  const { measureCertificateLayout } = await import("~/certificates/pdf.server");
  await measureCertificateLayout({ id: "c", trainer_name: "A Trainer", issuer: "RMR", issued_at: "2026-01-01T00:00:00.000Z", expires_on: "2027-01-01", expiry_basis: "validity period", modules_json: "[]" }, "http://127.0.0.1/verify/c");
}
if (process.argv.includes("--credential-libraries")) {
  const { credentialLibraries } = await import("~/certificates/credentials/libraries.server");
  await credentialLibraries();
}
process.stdout.write(`imported ${modules.length} modules\n`);
