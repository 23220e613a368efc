import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { openDatabase } from "~db/connection";
import { currentIssuerKey } from "~/certificates/credentials/keys.server";
import { issueCredential } from "~/certificates/credentials/issue-credential.server";
import { iso } from "~/utils/clock";
import { createUser } from "../helpers/db";
import { createSharedDatabase } from "../helpers/shared-db";

/** A database several processes can open: a SQLite file, or a PostgreSQL database (its URL). */
const sharedDatabase = () => createSharedDatabase("status-race");

const run = promisify(execFile);
const now = new Date("2026-06-01T09:00:00Z");

async function insertCertificates(db: ReturnType<typeof openDatabase>["db"], userId: number, ids: string[]) {
  for (const id of ids) {
    await db
      .insertInto("certificate")
      .values({
        id, user_id: userId, trainer_name: "Race Trainer", issued_at: iso(now), expires_on: "2027-06-01", expiry_basis: "validity period", validity_ends_on: "2027-06-01",
        agreement_version: "v1", modules_json: "[]", report_json: JSON.stringify({ releasedAt: null, version: null }), scope_json: JSON.stringify({ may: [], mayNot: [] }),
        issuer: "RMR", eligibility_key: "k", superseded_by: "superseded-so-the-one-current-index-allows-many", superseded_at: iso(now), suspended_at: null, suspension_reason: null, suspended_by: null, revoked_at: null, revocation_reason: null, revoked_by: null, pdf: null,
      })
      .execute();
  }
}

const certId = (p: number, i: number) => `race${String.fromCharCode(97 + p)}${String(i).padStart(3, "0")}`.padEnd(32, "a");

describe("status list indexes under concurrency", () => {
  it("several processes drawing from the same small range never share an index", async () => {
    const { target, db } = await sharedDatabase();
    const user = await createUser(db);
    await currentIssuerKey(db, now);
    const processes = 4;
    const perProcess = 30;
    const batches = Array.from({ length: processes }, (_, p) => Array.from({ length: perProcess }, (_, i) => certId(p, i)));
    await insertCertificates(db, user.id, batches.flat());
    // 120 credentials drawing from 256 indexes: collisions are certain; each must be retried.
    const outputs = await Promise.all(batches.map((ids) => run("node_modules/.bin/tsx", ["tests/unit/support/allocate-status-slots.ts", target, ids.join(","), "256"], { timeout: 60_000 })));
    const summaries = outputs.map((o) => JSON.parse(o.stdout.trim().split("\n").at(-1)!) as { allocated: number; draws: number });
    const rows = await db.selectFrom("issued_credential").select(["status_list_id", "status_index"]).execute();
    await db.destroy();
    expect(summaries.reduce((n, s) => n + s.allocated, 0)).toBe(processes * perProcess);
    expect(rows).toHaveLength(processes * perProcess);
    expect(new Set(rows.map((r) => `${r.status_list_id}:${r.status_index}`)).size).toBe(rows.length);
    // The race really happened: more draws than credentials means collisions were retried.
    expect(summaries.reduce((n, s) => n + s.draws, 0)).toBeGreaterThan(processes * perProcess);
  }, 90_000);

  it("two issuers for the same certificate at once produce one live credential", async () => {
    const { db } = await sharedDatabase();
    const user = await createUser(db);
    await insertCertificates(db, user.id, [certId(9, 1)]);
    const cert = await db.selectFrom("certificate").selectAll().executeTakeFirstOrThrow();
    const issued = await Promise.all([issueCredential(db, cert, "http://academy.test", now), issueCredential(db, cert, "http://academy.test", now), issueCredential(db, cert, "http://academy.test", now)]);
    expect(new Set(issued.map((c) => c.id)).size).toBe(1);
    const live = await db.selectFrom("issued_credential").select(["id", "json"]).where("revoked_at", "is", null).execute();
    expect(live).toHaveLength(1);
    expect(live[0]!.json).not.toBeNull();
  });
});
