import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrations } from "~db/migrations/index";
import { emptyDatabase, migrator } from "../helpers/migrations";

/**
 * Issue 16.11: submissions made before the fix carry a number computed from the trainer's user id.
 * The migration gives each a random one, and the submission stays frozen afterwards.
 */
const MIGRATION = "2026-11-30-2310-random-candidate-numbers";

describe("random candidate numbers migration", () => {
  it("renumbers existing submissions, released ones included, and puts the freeze back", async () => {
    const db = await emptyDatabase();
    const names = Object.keys(migrations);
    expect(names).toContain(MIGRATION);
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < MIGRATION));
    const result = await migrator(db, before).migrateToLatest();
    expect(result.error).toBeUndefined();

    const now = "2026-06-01T09:00:00.000Z";
    const users = [];
    for (const i of [1, 2, 3]) {
      users.push(
        await db
          .insertInto("user")
          .values({ email: `t${i}@example.test`, name: `T ${i}`, role: "trainer", password_hash: "x", disabled_at: null, created_at: now, updated_at: now })
          .returning("id")
          .executeTakeFirstOrThrow(),
      );
    }
    const version = await db.insertInto("module_version").values({ slug: "report-writing", content_hash: "h", title: "Report writing", version_notes: "", published_at: now }).returning("id").executeTakeFirstOrThrow();
    for (const [index, user] of users.entries()) {
      await db
        .insertInto("report_submission")
        .values({
          user_id: user.id,
          version: 1,
          module_slug: "report-writing",
          module_version_id: version.id,
          task_json: "{}",
          body: "A report.",
          word_count: 2,
          candidate_number: `C-${100000 + user.id}`,
          submitted_at: now,
          status: index === 0 ? "released" : "submitted",
          outcome: index === 0 ? "pass" : null,
          released_at: index === 0 ? now : null,
        })
        .execute();
    }

    const after = await migrator(db, migrations).migrateToLatest();
    expect(after.error).toBeUndefined();
    const rows = await db.selectFrom("report_submission").select(["user_id", "candidate_number"]).orderBy("id").execute();
    for (const row of rows) {
      expect(row.candidate_number).toMatch(/^C-\d{8}$/);
      expect(row.candidate_number).not.toContain(String(100000 + row.user_id));
    }
    expect(new Set(rows.map((r) => r.candidate_number)).size).toBe(3);
    // Still frozen: the number never changes again, and a released submission is final.
    await expect(db.updateTable("report_submission").set({ candidate_number: "C-1" }).execute()).rejects.toThrow(/never changes/);
    await expect(sql`UPDATE report_submission SET status = 'submitted' WHERE status = 'released'`.execute(db)).rejects.toThrow(/never changes/);
    await db.destroy();
  });
});
