import { createHash } from "node:crypto";
import { Migrator, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "~db/connection";
import { engineOf, isUniqueViolation, retryOnUniqueViolation } from "~db/dialect";
import { migrations } from "~db/migrations/index";
import { createTestDb, createUser } from "../helpers/db";

/**
 * What ADR 0011 promises: the same behaviour on SQLite and PostgreSQL. Run with
 * DATABASE_URL=postgres://… to check PostgreSQL; plain `npm test` checks SQLite.
 */
let db: DB;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.destroy());

describe(`portable SQL on ${process.env.DATABASE_URL ? "PostgreSQL" : "SQLite"}`, () => {
  it("sorts and compares text by code point, as SQLite does", async () => {
    for (const name of ["beta", "Zed", "alpha", "Éclair", "Beta"]) await createUser(db, { name: `sort ${name}` });
    const rows = await db.selectFrom("user").select("name").where("name", "like", "sort %").orderBy("name").execute();
    expect(rows.map((r) => r.name)).toEqual(["sort Beta", "sort Zed", "sort alpha", "sort beta", "sort Éclair"]);
    // LIKE ignores ASCII case on SQLite but not on PostgreSQL: to match without case, lower both sides.
    const insensitive = await db.selectFrom("user").select("name").where((eb) => eb(eb.fn("lower", ["name"]), "like", "SORT B%".toLowerCase())).orderBy("name").execute();
    expect(insensitive.map((r) => r.name)).toEqual(["sort Beta", "sort beta"]);
  });

  it("keeps 64-bit integers and returns counts, sums and maxima as numbers", async () => {
    const big = 1_790_000_000_000; // epoch milliseconds: beyond a 32-bit integer
    await db.insertInto("login_throttle").values({ key: "dialect:big", window_started_at: big, count: 3 }).execute();
    const row = await db.selectFrom("login_throttle").select("window_started_at").where("key", "=", "dialect:big").executeTakeFirstOrThrow();
    expect(row.window_started_at).toBe(big);
    const totals = await db
      .selectFrom("login_throttle")
      .select((eb) => [eb.fn.countAll().as("n"), eb.fn.sum("count").as("total"), eb.fn.max("window_started_at").as("latest")])
      .where("key", "=", "dialect:big")
      .executeTakeFirstOrThrow();
    expect(totals).toEqual({ n: 1, total: 3, latest: big });
  });

  it("returns generated ids and stores blobs byte for byte", async () => {
    const user = await createUser(db);
    expect(typeof user.id).toBe("number");
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    await db
      .insertInto("certificate")
      .values({
        id: "dialectblobtest",
        user_id: user.id,
        trainer_name: "Blob",
        issued_at: "2026-01-01T00:00:00.000Z",
        expires_on: "2027-01-01",
        expiry_basis: "validity period",
        validity_ends_on: "2027-01-01",
        agreement_version: "v",
        modules_json: "[]",
        report_json: "{}",
        scope_json: "{}",
        issuer: "test",
        eligibility_key: "k",
        superseded_by: null,
        superseded_at: null,
        suspended_at: null,
        suspension_reason: null,
        suspended_by: null, suspension_category: null,
        revoked_at: null,
        revocation_reason: null,
        revoked_by: null,
        pdf: bytes,
      })
      .execute();
    const row = await db.selectFrom("certificate").select("pdf").where("id", "=", "dialectblobtest").executeTakeFirstOrThrow();
    expect(Buffer.from(row.pdf!).equals(bytes)).toBe(true);
  });

  it("recognises a unique violation, and a savepoint retry keeps the transaction's earlier work", async () => {
    const user = await createUser(db);
    const insert = (trx: DB, value: string) => trx.insertInto("app_secret").values({ name: `dialect-${user.id}`, value }).execute();
    await insert(db, "first");
    const error = await insert(db, "again").catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(new Error("other"))).toBe(false);

    let tries = 0;
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("app_secret").values({ name: `dialect-kept-${user.id}`, value: "kept" }).execute();
      await retryOnUniqueViolation(trx, async () => {
        tries += 1;
        if (tries === 1) await insert(trx, "loses the race");
        await trx.updateTable("app_secret").set({ value: "winner seen" }).where("name", "=", `dialect-${user.id}`).execute();
      });
    });
    expect(tries).toBe(2);
    const values = await db.selectFrom("app_secret").select(["name", "value"]).where("name", "like", `dialect-%${user.id}`).orderBy("name").execute();
    expect(values).toEqual([
      { name: `dialect-${user.id}`, value: "winner seen" },
      { name: `dialect-kept-${user.id}`, value: "kept" },
    ]);
  });

  it("refuses to change or remove the audit trail, including TRUNCATE on PostgreSQL", async () => {
    await db.insertInto("audit_event").values({ occurred_at: "2026-01-01T00:00:00.000Z", actor_user_id: null, action: "dialect.test", subject_type: "test", subject_id: null, details: "{}" }).execute();
    await expect(db.updateTable("audit_event").set({ action: "changed" }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom("audit_event").execute()).rejects.toThrow(/append-only/);
    if (engineOf(db) === "postgres") await expect(sql`TRUNCATE audit_event`.execute(db)).rejects.toThrow(/append-only/);
  });
});

describe("shipped migrations", () => {
  it("still create exactly the SQLite schema they created when they shipped", async () => {
    // Six migrations gained a PostgreSQL branch after shipping (ADR 0011); on SQLite they must
    // produce byte-for-byte the schema they always did. The hash was taken before the change.
    const { db: sqlite, sqlite: raw } = openDatabase(":memory:");
    const shipped = new Migrator({ db: sqlite, provider: { getMigrations: async () => migrations } });
    const result = await shipped.migrateTo("2026-11-26-06-login-throttle");
    expect(result.error).toBeUndefined();
    const schema = raw.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'kysely%' ORDER BY name").all();
    expect(createHash("sha256").update(JSON.stringify(schema)).digest("hex")).toBe(SHIPPED_SQLITE_SCHEMA_SHA256);
    await sqlite.destroy();
  });
});

const SHIPPED_SQLITE_SCHEMA_SHA256 = "a874f14d01a85e442f81f2ecad0d44690c34a0713694123da8e8c52205173815";
