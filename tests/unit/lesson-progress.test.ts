import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { getModule, registerModuleVersions } from "~/content/catalog.server";
import { completeSection, readLessonProgress, recordSectionVisit } from "~/learning/progress.server";
import { createTestDb, createUser } from "../helpers/db";

/** Issue 14 item 2: a lesson page reads the trainer's progress in one statement. */
let db: DB;
const t0 = new Date("2026-06-01T09:00:00Z");

beforeAll(async () => {
  db = await createTestDb();
  await registerModuleVersions(db, t0);
});

describe("readLessonProgress", () => {
  it("returns the completed sections of this module only, and the section last opened", async () => {
    const module = getModule("safeguarding")!;
    const other = getModule("manual-handling")!;
    const user = await createUser(db);
    const someoneElse = await createUser(db);
    expect(await readLessonProgress(db, user.id, module.slug)).toEqual({ completed: new Set(), lastVisited: null });

    const [first, second, third] = module.sections.map((s) => s.id);
    await completeSection(db, user.id, module.slug, first!, t0);
    await completeSection(db, user.id, module.slug, second!, t0);
    await completeSection(db, user.id, other.slug, other.sections[0]!.id, t0);
    await completeSection(db, someoneElse.id, module.slug, third!, t0);
    await recordSectionVisit(db, user.id, module.slug, third!, t0);
    await recordSectionVisit(db, user.id, other.slug, other.sections[1]!.id, t0);

    expect(await readLessonProgress(db, user.id, module.slug)).toEqual({ completed: new Set([first, second]), lastVisited: third });
    expect(await readLessonProgress(db, user.id, other.slug)).toEqual({ completed: new Set([other.sections[0]!.id]), lastVisited: other.sections[1]!.id });
    expect(await readLessonProgress(db, someoneElse.id, module.slug)).toEqual({ completed: new Set([third]), lastVisited: null });
  });
});
