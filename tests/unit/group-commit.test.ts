import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "~db/connection";
import { groupCommit } from "~db/group-commit";

// ADR 0051: saves arriving together share one SQLite commit (one sync of the WAL), and each is
// acknowledged only once that commit is on disk. Observed through the file itself: the WAL grows
// by one frame per page per commit, so forty commits of one row each leave at least forty frames.

let dir: string;
let file: string;
let db: DB;
let sqlite: SQLite.Database;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "group-commit-"));
  file = path.join(dir, "academy.sqlite");
  ({ db, sqlite } = openDatabase(file));
  await sql`create table saved (id integer primary key, value text not null)`.execute(db);
});

afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Frames in the WAL file since it was last reset (a 32-byte header, then page-size + 24 bytes per frame). */
function walFrames(): number {
  const size = fs.statSync(`${file}-wal`).size;
  return size <= 32 ? 0 : (size - 32) / (Number(sqlite.pragma("page_size", { simple: true })) + 24);
}

function resetWal() {
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  expect(walFrames()).toBe(0);
}

const insert = (id: number, value = `row ${id}`) => (w: DB) => sql`insert into saved (id, value) values (${id}, ${value})`.execute(w).then(() => id);

describe("groupCommit on SQLite", () => {
  it("commits writes made in the same moment together: one commit's frames, not one per write", async () => {
    resetWal();
    const ids = Array.from({ length: 40 }, (_, i) => 1_000 + i);
    expect(await Promise.all(ids.map((id) => groupCommit(db, insert(id))))).toEqual(ids);
    // One commit of forty small rows touches a page or two; forty commits write at least forty frames.
    expect(walFrames()).toBeLessThanOrEqual(3);

    // The same writes one after another (each awaited): one commit each, as without group commit.
    resetWal();
    for (const id of ids.map((id) => id + 100)) await groupCommit(db, insert(id));
    expect(walFrames()).toBeGreaterThanOrEqual(40);
  });

  it("acknowledges a write only once it is committed: another connection already reads it", async () => {
    const other = new SQLite(file, { readonly: true });
    try {
      const acknowledged = await Promise.all([groupCommit(db, insert(2_001)), groupCommit(db, insert(2_002))]);
      expect(acknowledged).toEqual([2_001, 2_002]);
      expect(other.prepare("select count(*) as n from saved where id in (2001, 2002)").get()).toEqual({ n: 2 });
    } finally {
      other.close();
    }
  });

  it("keeps one write's failure its own: the others in its group are committed", async () => {
    await groupCommit(db, insert(3_005, "first"));
    const outcomes = await Promise.allSettled([3_001, 3_002, 3_005, 3_003, 3_004].map((id) => groupCommit(db, insert(id, "second"))));
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    const rows = await sql<{ id: number; value: string }>`select id, value from saved where id between 3001 and 3005 order by id`.execute(db);
    expect(rows.rows).toEqual([
      { id: 3_001, value: "second" },
      { id: 3_002, value: "second" },
      { id: 3_003, value: "second" },
      { id: 3_004, value: "second" },
      { id: 3_005, value: "first" },
    ]);
  });
});
