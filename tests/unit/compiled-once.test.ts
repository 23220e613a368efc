/**
 * `compiledOnce` and `compiledOnceWith` (ADR 0053): a query compiled once per database and shape,
 * each call's values put in their bound parameters. On the real test database (SQLite, or PostgreSQL under DATABASE_URL).
 */
import { describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { compiledOnce, compiledOnceWith } from "~db/compiled-once";
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

  it("puts several named values, of either type, in every place each one goes", async () => {
    const db = await createTestDb();
    const trainer = await createUser(db, { role: "trainer", email: "one@example.test" });
    await createUser(db, { role: "trainer", email: "two@example.test" });
    const byIdOrEmail = compiledOnceWith(
      (database: DB, v: { id: number; email: string }) =>
        database
          .selectFrom("user")
          .select(["id", "email"])
          .where((eb) => eb.or([eb("id", "=", v.id), eb("email", "=", v.email)]))
          .unionAll(database.selectFrom("user").select(["id", "email"]).where("id", "=", v.id)),
      () => "",
    );
    const query = byIdOrEmail(db, null, { id: trainer.id, email: "two@example.test" });
    // The number stays a number: the driver binds it as the column's type.
    expect(query.parameters.filter((p) => p === trainer.id)).toHaveLength(2);
    expect(query.parameters.filter((p) => p === "two@example.test")).toHaveLength(1);
    const rows = (await db.executeQuery(query)).rows.map((r) => r.email).sort();
    expect(rows).toEqual(["one@example.test", "one@example.test", "two@example.test"]);
    expect((await db.executeQuery(byIdOrEmail(db, null, { id: -1, email: "nobody@example.test" }))).rows).toEqual([]);
    await db.destroy();
  });

  it("refuses a query that lacks a value or has it changed", async () => {
    const db = await createTestDb();
    const never = compiledOnce((database: DB) => database.selectFrom("user").select("id"), () => "");
    expect(() => never(db, null, "x")).toThrow(/value must be a bound parameter of the query/);
    const half = compiledOnceWith((database: DB, v: { id: number; email: string }) => database.selectFrom("user").select("id").where("id", "=", v.id), () => "");
    expect(() => half(db, null, { id: 1, email: "x" })).toThrow(/email must be a bound parameter/);
    const pattern = compiledOnce((database: DB, value: string) => database.selectFrom("user").select("id").where("email", "like", `%${value}%`), () => "");
    expect(() => pattern(db, null, "x")).toThrow(/reached the query changed/);
    // Used twice unchanged, it is the same value in both places.
    const twice = compiledOnce((database: DB, value: string) => database.selectFrom("user").select("id").where("email", "=", value).where("name", "=", value), () => "");
    expect(twice(db, null, "x").parameters).toEqual(["x", "x"]);
    await db.destroy();
  });
});
