/**
 * Assessment item analysis (issue 15): facility, discrimination (item against the rest of the
 * test), option selection rates, the score histogram and the pass rate by attempt number, all
 * summed in SQL, checked against a small case computed by hand (on SQLite and PostgreSQL) and
 * against a definition-based computation over a seeded academy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { analyseModuleVersion, correlation, itemFlags } from "~/reports/item-analysis.server";
import { growAcademy } from "../../scripts/lib/seed-scale";
import { openScaleDb } from "../helpers/scale-db";
import { createTestDb, createUser } from "../helpers/db";

const question = (id: string, options: string[], correct: string) =>
  JSON.stringify({
    id,
    moduleSlug: "safeguarding",
    kind: "summative",
    type: "single",
    prompt: [`Question ${id}?`],
    options: options.map((o) => ({ id: o, text: `Option ${o}`, correct: o === correct })),
    explanation: [],
    caseStudy: null,
    section: null,
    tags: [],
    source: "test",
  });

describe("a small case computed by hand", () => {
  let db: DB;
  let v1 = 0;
  let v2 = 0;
  // Six attempts at version 2; 1 = right. Q1 answers: a is the key; F left Q1 unanswered.
  //        Q1 Q2 Q3  score
  //   A    1  1  1   3   (A's second attempt: the first was at version 1)
  //   B    1  1  0   2
  //   C    1  0  1   2
  //   D    0  0  1   1   (chose b on Q1)
  //   E    0  1  0   1   (chose b on Q1)
  //   F    0  0  0   0   (Q1 unanswered)
  const table: [string, number[], string | null][] = [
    ["A", [1, 1, 1], "a"],
    ["B", [1, 1, 0], "a"],
    ["C", [1, 0, 1], "a"],
    ["D", [0, 0, 1], "b"],
    ["E", [0, 1, 0], "b"],
    ["F", [0, 0, 0], null],
  ];

  beforeAll(async () => {
    db = await createTestDb();
    const version = async (hash: string) =>
      (
        await db
          .insertInto("module_version")
          .values({ slug: "safeguarding", content_hash: hash, title: "Safeguarding", version_notes: "test", published_at: `2026-0${hash === "v1" ? 1 : 2}-01T00:00:00.000Z` })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    v1 = await version("v1");
    v2 = await version("v2");
    const attempt = async (id: string, userId: number, versionId: number, startedAt: string, marks: number[], q1Answer: string | null) => {
      const score = marks.reduce((a, b) => a + b, 0);
      await db
        .insertInto("assessment_attempt")
        .values({ id, user_id: userId, module_slug: "safeguarding", module_version_id: versionId, pass_mark: 60, started_at: startedAt, submitted_at: startedAt, score, total: 3, percent: Math.round((score / 3) * 100), passed: score >= 2 ? 1 : 0 })
        .execute();
      await db
        .insertInto("attempt_question")
        .values(
          marks.map((right, i) => {
            const qid = `q${i + 1}`;
            const answer = i === 0 ? q1Answer : right ? "a" : "c";
            return {
              attempt_id: id,
              position: i + 1,
              question_id: qid,
              question_json: question(qid, ["a", "b", "c"], "a"),
              option_order: '["a","b","c"]',
              answer: answer === null ? null : JSON.stringify([answer]),
              answered_at: answer === null ? null : startedAt,
              correct: answer === null ? null : right,
            };
          }),
        )
        .execute();
    };
    for (const [name, marks, q1] of table) {
      const user = await createUser(db, { name });
      if (name === "A") await attempt("a-first", user.id, v1, "2026-01-10T10:00:00.000Z", [0, 0, 0], "b");
      await attempt(`${name}-v2`, user.id, v2, "2026-02-10T10:00:00.000Z", marks, q1);
    }
    // An attempt still in progress is not analysed.
    const late = await createUser(db, { name: "G" });
    await db.insertInto("assessment_attempt").values({ id: "g-open", user_id: late.id, module_slug: "safeguarding", module_version_id: v2, pass_mark: 60, started_at: "2026-02-11T10:00:00.000Z", submitted_at: null, score: null, total: 3, percent: null, passed: null }).execute();
  });

  afterAll(async () => {
    await db.destroy();
  });

  it("gives each item its facility and discrimination", async () => {
    const analysis = await analyseModuleVersion(db, "safeguarding", v2);
    expect(analysis.attempts).toBe(6);
    expect(analysis.passed).toBe(3);
    const [q1, q2, q3] = analysis.items;
    // Q1: x = 1 1 1 0 0 0, rest = 2 1 1 1 1 0. n = 6, Σx = 3, Σy = 6, Σxy = 4, Σy² = 8.
    // r = (6·4 − 3·6) / √((6·3 − 9)(6·8 − 36)) = 6 / √108 = 1/√3.
    expect(q1!.facility).toBe(0.5);
    expect(q1!.discrimination).toBeCloseTo(1 / Math.sqrt(3), 10);
    // Q2: x = 1 1 0 0 1 0, rest = 2 1 2 1 0 0: Σxy = 3 = Σx·Σy/n, so r = 0.
    expect(q2!.facility).toBe(0.5);
    expect(q2!.discrimination).toBeCloseTo(0, 10);
    expect(q3!.discrimination).toBeCloseTo(0, 10);
    expect(q1!.attempts).toBe(6);
  });

  it("counts each option's selections, unanswered as no selection", async () => {
    const [q1] = (await analyseModuleVersion(db, "safeguarding", v2)).items;
    expect(q1!.options.map((o) => [o.id, o.correct, o.selected])).toEqual([
      ["a", true, 3],
      ["b", false, 2],
      ["c", false, 0],
    ]);
    expect(q1!.options[1]!.rate).toBeCloseTo(2 / 6, 10);
    expect(q1!.prompt).toBe("Question q1?");
  });

  it("bands the scores and counts passes by attempt number", async () => {
    const analysis = await analyseModuleVersion(db, "safeguarding", v2);
    // 100 %, 67 %, 67 %, 33 %, 33 %, 0 %.
    expect(analysis.histogram.map((b) => b.count)).toEqual([1, 0, 0, 2, 0, 0, 2, 0, 0, 1]);
    expect(analysis.histogram[9]).toEqual({ from: 90, to: 100, count: 1 });
    // A's attempt at version 2 was A's second; everyone else's was their first.
    expect(analysis.byAttemptNumber).toEqual([
      { attemptNumber: 1, attempts: 5, passed: 2 },
      { attemptNumber: 2, attempts: 1, passed: 1 },
    ]);
    // Version 1 is analysed on its own.
    expect((await analyseModuleVersion(db, "safeguarding", v1)).attempts).toBe(1);
  });
});

describe("flags and the correlation", () => {
  it("flags items too easy, too hard, discriminating negatively or with few attempts", () => {
    expect(itemFlags({ attempts: 50, facility: 0.95, discrimination: 0.3 })).toEqual(["too-easy"]);
    expect(itemFlags({ attempts: 50, facility: 0.9, discrimination: 0.3 })).toEqual([]);
    expect(itemFlags({ attempts: 50, facility: 0.3, discrimination: 0.3 })).toEqual([]);
    expect(itemFlags({ attempts: 50, facility: 0.29, discrimination: -0.01 })).toEqual(["too-hard", "negative-discrimination"]);
    expect(itemFlags({ attempts: 19, facility: 0.5, discrimination: null })).toEqual(["few-attempts"]);
  });

  it("has no correlation when a variable does not vary", () => {
    expect(correlation({ n: 4, x: 4, y: 6, xy: 6, xx: 4, yy: 12 })).toBeNull();
    // x = 1 1 0, y = 1 2 0: r = (3·3 − 2·3) / √((3·2 − 4)(3·5 − 9)) = 3/√12 = √3/2.
    expect(correlation({ n: 3, x: 2, y: 3, xy: 3, xx: 2, yy: 5 })).toBeCloseTo(Math.sqrt(3) / 2, 10);
  });
});

describe("on a seeded academy", () => {
  it("agrees with the definition, computed from every attempt in JavaScript", async () => {
    const now = new Date("2026-06-01T09:00:00Z");
    const opened = await openScaleDb(now);
    await growAcademy(opened.db, { from: 0, to: 300 }, opened.ctx);
    const db = opened.db;
    const version = await db.selectFrom("assessment_attempt").select(["module_slug", "module_version_id"]).where("submitted_at", "is not", null).executeTakeFirstOrThrow();
    const analysis = await analyseModuleVersion(db, version.module_slug, version.module_version_id);
    const rows = await db
      .selectFrom("attempt_question")
      .innerJoin("assessment_attempt", "assessment_attempt.id", "attempt_question.attempt_id")
      .select(["attempt_question.question_id", "attempt_question.correct", "assessment_attempt.score"])
      .where("assessment_attempt.module_slug", "=", version.module_slug)
      .where("assessment_attempt.module_version_id", "=", version.module_version_id)
      .where("assessment_attempt.submitted_at", "is not", null)
      .execute();
    expect(analysis.items.length).toBeGreaterThan(5);
    for (const item of analysis.items) {
      const own = rows.filter((r) => r.question_id === item.questionId);
      const xs = own.map((r) => r.correct ?? 0);
      const ys = own.map((r, i) => r.score! - xs[i]!);
      const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
      const [mx, my] = [mean(xs), mean(ys)];
      const cov = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0);
      const sd = (v: number[], m: number) => Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0));
      const r = sd(xs, mx) === 0 || sd(ys, my) === 0 ? null : cov / (sd(xs, mx) * sd(ys, my));
      expect(item.attempts).toBe(own.length);
      expect(item.facility).toBeCloseTo(mx, 10);
      if (r === null) expect(item.discrimination).toBeNull();
      else expect(item.discrimination).toBeCloseTo(r, 8);
    }
    await db.destroy();
  }, 120_000);
});
