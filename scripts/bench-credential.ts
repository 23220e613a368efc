/**
 * Credential timings (part of `npm run bench`; self-contained, no server): milliseconds to issue
 * one Open Badges 3.0 credential (status slot, build, eddsa-rdfc-2022 signature, store) and to
 * re-sign its status list, and the p50/p99 of verifying an uploaded credential on /verify's code
 * path (signature, pinned issuer, dates, status list signature and bit) with the contexts in
 * memory. Goal: verification under 50 ms p50. Uses an in-memory database.
 */
import { openDatabase } from "~db/connection";
import { migrateToLatest } from "~db/migrate";
import { iso } from "~/utils/clock";
import { hashPassword } from "~/auth/password.server";
import { issueCredential } from "~/certificates/credentials/issue-credential.server";
import { resignStatusLists, revokeIssuedCredential } from "~/certificates/credentials/status-list.server";
import { checkCredentialText } from "~/certificates/credentials/verify-credential.server";

const ISSUES = 40;
const VERIFIES = 200;
const BASE = "https://academy.example";
const now = new Date();

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

const { db } = openDatabase(":memory:");
await migrateToLatest(db);
const user = await db
  .insertInto("user")
  .values({ email: "bench@example.test", name: "Bench Trainer", role: "trainer", password_hash: await hashPassword("bench password 1"), disabled_at: null, email_confirmed_at: iso(now), created_at: iso(now), updated_at: iso(now) })
  .returning("id")
  .executeTakeFirstOrThrow();
const line = (i: number) => `Item ${i}: a statement of about the length the agreement uses for each thing a trainer may or may not do.`;
const snapshot = {
  user_id: user.id,
  trainer_name: "Zoë Ó Briain-Łukasiewicz",
  issued_at: iso(now),
  expires_on: iso(new Date(now.getTime() + 300 * 86_400_000)).slice(0, 10),
  expiry_basis: "validity period" as const,
  validity_ends_on: iso(new Date(now.getTime() + 365 * 86_400_000)).slice(0, 10),
  agreement_version: "a".repeat(64),
  modules_json: JSON.stringify(["Safeguarding within rehabilitation settings", "The medical-legal environment and MDT roles", "Professional communication and report writing", "Manual handling awareness"].map((title, i) => ({ slug: `m${i}`, title, passedAt: iso(now), version: String(i).repeat(64) }))),
  report_json: JSON.stringify({ releasedAt: iso(now), version: "b".repeat(64) }),
  scope_json: JSON.stringify({ may: [1, 2, 3, 4, 5, 6, 7, 8].map(line), mayNot: [9, 10, 11, 12, 13, 14, 15, 16].map(line) }),
  issuer: "RMR Medical-Legal Personal Trainer Framework",
  eligibility_key: "bench",
  superseded_at: null,
  suspended_at: null,
  suspension_reason: null,
  suspended_by: null, suspension_category: null,
  revoked_at: null,
  revocation_reason: null,
  revoked_by: null,
  pdf: null,
};

// Issue: one credential per certificate (older certificates marked superseded, as in real life).
const issueTimes: number[] = [];
let lastJson = "";
let lastId = "";
for (let i = 0; i < ISSUES + 3; i += 1) {
  const id = `bench${String(i).padStart(4, "0")}`.padEnd(32, "a");
  await db.updateTable("certificate").set({ superseded_by: id }).where("superseded_by", "is", null).execute();
  await db.insertInto("certificate").values({ id, ...snapshot, superseded_by: null }).execute();
  const cert = await db.selectFrom("certificate").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const started = performance.now();
  const issued = await issueCredential(db, cert, BASE, now);
  if (i >= 3) issueTimes.push(performance.now() - started); // the first ones load the libraries
  lastJson = issued.json!;
  lastId = issued.id;
}

// Re-signing a status list after a bit changes (what suspension, revocation, supersession cost).
const resignTimes: number[] = [];
// (Never the credential verified below, which must stay valid.)
const others = await db.selectFrom("issued_credential").select("id").where("id", "!=", lastId).limit(10).execute();
for (const other of others.slice(0, 8)) {
  await revokeIssuedCredential(db, other.id, "bench", now);
  const started = performance.now();
  await resignStatusLists(db, BASE, now);
  resignTimes.push(performance.now() - started);
}

// Verify an uploaded credential, contexts cached (after a warm-up).
for (let i = 0; i < 5; i += 1) await checkCredentialText(db, lastJson, BASE, now);
const verifyTimes: number[] = [];
let headline = "";
for (let i = 0; i < VERIFIES; i += 1) {
  const started = performance.now();
  const outcome = await checkCredentialText(db, lastJson, BASE, now);
  verifyTimes.push(performance.now() - started);
  if (outcome.ok) headline = outcome.report.headline;
}
await db.destroy();

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
console.log("\nCredentials (Open Badges 3.0, eddsa-rdfc-2022), in-process:");
console.log(`  issue one credential      mean ${ms(mean(issueTimes))}  p50 ${ms(percentile(issueTimes, 50))}  p99 ${ms(percentile(issueTimes, 99))}  min ${ms(Math.min(...issueTimes))}  (${issueTimes.length} credentials; ${lastJson.length} bytes each)`);
console.log(`  re-sign a status list     mean ${ms(mean(resignTimes))}  p50 ${ms(percentile(resignTimes, 50))}  (131,072 entries)`);
console.log(`  verify an uploaded file   p50 ${ms(percentile(verifyTimes, 50))}  p99 ${ms(percentile(verifyTimes, 99))}  min ${ms(Math.min(...verifyTimes))}  (${VERIFIES} checks; goal p50 < 50 ms; result: ${headline})`);
