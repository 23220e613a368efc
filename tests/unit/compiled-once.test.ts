/**
 * `compiledOnce` (ADR 0053): a query compiled once per database and shape, each call's value put
 * in its one bound parameter. On the real test database (SQLite, or PostgreSQL under DATABASE_URL).
 */
import { describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { compiledOnce } from "~db/compiled-once";
import type { Role } from "~db/schema";
import { createTestDb, createUser } from "../helpers/db";

describe("compiledOnce", () => {
  it("compiles once per database and shape, and each call reads with its own value", async () => {
    const db = await createTestDb();
    const trainer = await createUser(db, { role: "trainer", email: "one@example.test" });
    const assessor = await createUser(db, { role: "assessor", email: "two@example.test" });
    let builds = 0;
    const byEmail = compiledOnce(
      (database: DB, email: string, role: Role) => {
        builds += 1;
        return database.selectFrom("user").select(["id", "email"]).where("role", "=", role).where("email", "=", email);
      },
      (role) => role,
    );
    const read = async (role: Role, email: string) => (await db.executeQuery(byEmail(db, role, email))).rows;

    expect(await read("trainer", "one@example.test")).toEqual([{ id: trainer.id, email: "one@example.test" }]);
    expect(await read("trainer", "two@example.test")).toEqual([]);
    expect(builds).toBe(1);
    // Another shape is another statement, with its own other parameters.
    expect(await read("assessor", "two@example.test")).toEqual([{ id: assessor.id, email: "two@example.test" }]);
    expect(await read("assessor", "one@example.test")).toEqual([]);
    expect(builds).toBe(2);
    // A value that looks like SQL is a value: still a bound parameter.
    expect(await read("trainer", "x' or '1'='1")).toEqual([]);
    expect(builds).toBe(2);

    // Another database (another Kysely instance) compiles its own.
    const other = await createTestDb();
    await createUser(other, { role: "trainer", email: "one@example.test" });
    expect((await other.executeQuery(byEmail(other, "trainer", "one@example.test"))).rows).toHaveLength(1);
    expect(builds).toBe(3);
    await other.destroy();
    await db.destroy();
  });

  it("refuses a query that does not take the value as exactly one bound parameter", async () => {
    const db = await createTestDb();
    const never = compiledOnce((database: DB) => database.selectFrom("user").select("id"), () => "");
    expect(() => never(db, null, "x")).toThrow(/one bound parameter of the query; it is 0/);
    const twice = compiledOnce((database: DB, value: string) => database.selectFrom("user").select("id").where("email", "=", value).where("name", "=", value), () => "");
    expect(() => twice(db, null, "x")).toThrow(/it is 2/);
    await db.destroy();
  });
});
