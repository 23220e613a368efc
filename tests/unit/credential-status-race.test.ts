import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { openDatabase } from "~db/connection";
import { currentIssuerKey } from "~/certificates/credentials/keys.server";
import { issueCredential } from "~/certificates/credentials/issue-credential.server";
import { iso } from "~/utils/clock";
import { createUser } from "../helpers/db";
import { testPostgresUrl } from "../helpers/postgres";
import { createSharedDatabase, removeSharedDatabase } from "../helpers/shared-db";

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
        issuer: "RMR", eligibility_key: "k", superseded_by: "superseded-so-the-one-current-index-allows-many", superseded_at: iso(now), suspended_at: null, suspension_reason: null, suspended_by: null, suspension_category: null, revoked_at: null, revocation_reason: null, revoked_by: null, pdf: null,
      })
      .execute();
  }
}

const ISSUERS = 4;
const CERTIFICATES = 6;

type IssuerAnswer = { certificateId: string; credentialId?: string; error?: string };

/**
 * Starts ISSUERS processes on the shared database, waits until every one is ready, starts them
 * together, and collects what each call answered. (Calls from one process on SQLite's single
 * connection run one after another: only separate connections can really race.)
 */
async function raceIssuers(target: string, certificateIds: string[]): Promise<IssuerAnswer[]> {
  const children = Array.from({ length: ISSUERS }, () =>
    spawn("node_modules/.bin/tsx", ["tests/unit/support/issue-credential-child.ts", target, certificateIds.join(","), now.toISOString()], { stdio: ["pipe", "pipe", "inherit"] }),
  );
  const racers = children.map((child) => {
    let out = "";
    const ready = new Promise<void>((resolve) => child.stdout.on("data", (chunk: Buffer) => ((out += chunk.toString()), out.includes("ready") && resolve())));
    const done = new Promise<string>((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`issuer exited with ${code}`)))));
    return { child, ready, done };
  });
  await Promise.all(racers.map((r) => r.ready));
  for (const { child } of racers) child.stdin.end("go\n");
  const texts = await Promise.all(racers.map((r) => r.done));
  return texts.flatMap((text) => JSON.parse(text.trim().split("\n").at(-1)!) as IssuerAnswer[]);
}

/** Each certificate has exactly one live, signed credential, and every issuer was handed that one. */
async function expectOneLiveCredentialEach(db: ReturnType<typeof openDatabase>["db"], certificateIds: string[], answers: IssuerAnswer[]) {
  for (const certificateId of certificateIds) {
    const live = await db.selectFrom("issued_credential").select(["id", "json"]).where("certificate_id", "=", certificateId).where("revoked_at", "is", null).execute();
    expect(live.map((c) => c.id)).toHaveLength(1);
    expect(live[0]!.json).not.toBeNull();
    const handed = answers.filter((a) => a.certificateId === certificateId);
    expect(handed).toHaveLength(ISSUERS);
    expect(new Set(handed.map((a) => a.credentialId))).toEqual(new Set([live[0]!.id]));
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

  it("several issuers (processes, each with its own connection) issuing the same certificates at once leave one live credential each, and all get it", async () => {
    const { target, db } = await sharedDatabase();
    const user = await createUser(db);
    await currentIssuerKey(db, now);
    const ids = Array.from({ length: CERTIFICATES }, (_, i) => certId(9, i));
    await insertCertificates(db, user.id, ids);
    try {
      const answers = await raceIssuers(target, ids);
      // Nothing reaches a caller as an error (a unique violation, SQLITE_BUSY): each gets a credential.
      expect(answers.filter((a) => a.error !== undefined)).toEqual([]);
      await expectOneLiveCredentialEach(db, ids, answers);
    } finally {
      await db.destroy();
      removeSharedDatabase(target);
    }
  }, 120_000);

  it.runIf(testPostgresUrl() !== null)("on PostgreSQL, issuers on several pool connections of one process at once leave one live credential each", async () => {
    const { target, db } = await sharedDatabase();
    const user = await createUser(db);
    await currentIssuerKey(db, now);
    const ids = Array.from({ length: CERTIFICATES }, (_, i) => certId(8, i));
    await insertCertificates(db, user.id, ids);
    // A pool of several connections: Kysely runs each call on whichever connection is free, so the
    // inserts really overlap (one connection would run them one after another).
    const pooled = openDatabase({ engine: "postgres", url: target, poolSize: ISSUERS }).db;
    try {
      const certificates = await pooled.selectFrom("certificate").selectAll().where("id", "in", ids).execute();
      const answers = await Promise.all(
        Array.from({ length: ISSUERS }, () => certificates.map(async (cert) => ({ certificateId: cert.id, credentialId: (await issueCredential(pooled, cert, "http://academy.test", now)).id }))).flat(),
      );
      await expectOneLiveCredentialEach(db, ids, answers);
    } finally {
      await pooled.destroy();
      await db.destroy();
    }
  }, 120_000);

});
