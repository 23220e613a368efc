import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { runEntryRequirementJobs } from "~/jobs/entry-requirements.server";
import { createUser } from "../helpers/db";
import { bytesOnDisk, migratedSqliteFile, removeSqliteFiles } from "../helpers/sqlite-file";

/**
 * Issue 16.23: after the retention period the DBS certificate number must be gone from the
 * database file itself, not just from query results. A real SQLite file (WAL mode, as the server
 * runs it); the test reads the raw bytes of the database and its write-ahead log.
 */
const DBS_NUMBER = "739184260517";
afterEach(removeSqliteFiles);


describe("DBS erasure on disk", () => {
  it("leaves no byte of the certificate number in the SQLite file or its write-ahead log", async () => {
    const { db, file } = await migratedSqliteFile();
    const admin = await createUser(db, { role: "admin" });
    // Five trainers' records on one page; only the middle one is past its retention period.
    const numbers = ["111111111111", "222222222222", DBS_NUMBER, "444444444444", "555555555555"];
    for (const [index, number] of numbers.entries()) {
      const trainer = await createUser(db);
      const decidedAt = number === DBS_NUMBER ? "2026-01-20T10:00:00.000Z" : "2026-07-20T10:00:00.000Z";
      await db
        .insertInto("dbs_check")
        .values({
          user_id: trainer.id,
          certificate_number: number,
          issue_date: `2026-01-1${index}`,
          adults_barred_list: 1,
          children_barred_list: 0,
          workforce: "adult",
          update_service_subscribed: 1,
          status_check_consent: 1,
          will_show_original: 1,
          decision: "suitable",
          decided_by_user_id: admin.id,
          decided_at: decidedAt,
          original_seen_on: "2026-01-20",
          original_seen_by_user_id: admin.id,
          recheck_due_on: "2027-01-10",
          recheck_flagged_at: null,
          details_erased_at: null,
          created_at: "2026-01-15T00:00:00Z",
        })
        .execute();
    }
    // As on a server that has run a while: the record is in the main file and in the log.
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    await db.updateTable("dbs_check").set({ original_seen_on: "2026-01-21" }).execute();
    expect(bytesOnDisk(file).includes(DBS_NUMBER)).toBe(true);

    const summary = await runEntryRequirementJobs(db, new Date("2026-08-01T09:00:00Z"));
    expect(summary.dbsDetailsErased).toBe(1);
    // Read while the server would still be running, and again once it has stopped.
    expect(bytesOnDisk(file).includes(DBS_NUMBER)).toBe(false);
    await db.destroy();
    const after = bytesOnDisk(file);
    expect(after.includes(DBS_NUMBER)).toBe(false);
    // The records still in their retention period are untouched (the search itself works).
    for (const kept of numbers.filter((n) => n !== DBS_NUMBER)) expect(after.includes(kept)).toBe(true);
  });
});
