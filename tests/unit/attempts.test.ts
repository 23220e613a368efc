import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import {
  checkKnowledgeAnswer,
  getAttemptForTrainer,
  getAttemptResult,
  saveAnswer,
  startAttempt,
  submitAttempt,
  unlockAssessment,
  updateAssessmentPolicy,
} from "~/assessment/attempts.server";
import { getAnswerKey, getModule, getQuestionBank, registerModuleVersions } from "~/content/catalog.server";
import { completeSection, getModuleProgress } from "~/learning/progress.server";
import { HOUR, addMs } from "~/utils/clock";
import { createTestDb, createUser } from "../helpers/db";

let db: DB;
const t0 = new Date("2026-06-01T09:00:00Z");
const slug = "safeguarding";

beforeAll(async () => {
  db = await createTestDb();
  await registerModuleVersions(db, t0);
});

async function answerAll(attemptId: string, userId: number, mode: "right" | "wrong", now = t0) {
  const view = await getAttemptForTrainer(db, attemptId, userId);
  if (!view.ok) throw new Error(view.message ?? "refused");
  for (const q of view.value.questions) {
    // Option ids are random per attempt: find the options by their text, as an examiner reading the key would.
    const key = getAnswerKey(q.id)!;
    const idOf = (text: string) => q.options.find((o) => o.text === text)!.id;
    const selected = mode === "right" ? key.options.filter((o) => o.correct).map((o) => idOf(o.text)) : [idOf(key.options.find((o) => !o.correct)!.text)];
    const saved = await saveAnswer(db, { attemptId, userId, questionId: q.id, selected }, now);
    expect(saved.ok).toBe(true);
  }
  return view.value;
}

describe("attempts", () => {
  it("fixes the paper when it starts: the configured number of bank questions, and the version", async () => {
    const trainer = await createUser(db);
    const started = await startAttempt(db, trainer.id, slug, t0);
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const view = await getAttemptForTrainer(db, started.value.attemptId, trainer.id);
    expect(view.ok && view.value.questions.length).toBe(getModule(slug)!.questionsPerAttempt);
    // Starting again resumes the same attempt rather than drawing a new paper.
    const again = await startAttempt(db, trainer.id, slug, t0);
    expect(again.ok && again.value).toEqual({ attemptId: started.value.attemptId, resumed: true });
    const row = await db.selectFrom("assessment_attempt").innerJoin("module_version", "module_version.id", "assessment_attempt.module_version_id").select("module_version.content_hash").where("assessment_attempt.id", "=", started.value.attemptId).executeTakeFirstOrThrow();
    expect(row.content_hash).toBe(getModule(slug)!.contentHash);
  });

  it("never puts the answer key or explanations in the trainer's view of an open attempt", async () => {
    const trainer = await createUser(db);
    const started = await startAttempt(db, trainer.id, slug, t0);
    if (!started.ok) throw new Error(started.message ?? "refused");
    const view = await getAttemptForTrainer(db, started.value.attemptId, trainer.id);
    const json = JSON.stringify(view);
    expect(json).not.toMatch(/"correct"|explanation/i);
    for (const q of view.ok ? view.value.questions : []) {
      for (const paragraph of getAnswerKey(q.id)!.explanation) expect(json).not.toContain(paragraph);
    }
  });

  it("gives options random ids per attempt, carrying no authoring index; the snapshot keeps the mapping", async () => {
    const papers: Map<string, { id: string; text: string }[]>[] = [];
    const snapshots: Map<string, { id: string; sourceId: string }[]>[] = [];
    let common: string | undefined;
    for (let i = 0; i < 6 && !common; i += 1) {
      const trainer = await createUser(db);
      const started = await startAttempt(db, trainer.id, slug, t0);
      if (!started.ok) throw new Error(started.message ?? "refused");
      const view = await getAttemptForTrainer(db, started.value.attemptId, trainer.id);
      if (!view.ok) throw new Error(view.message ?? "refused");
      papers.push(new Map(view.value.questions.map((q) => [q.id, q.options])));
      const rows = await db.selectFrom("attempt_question").select(["question_id", "question_json"]).where("attempt_id", "=", started.value.attemptId).execute();
      snapshots.push(new Map(rows.map((r) => [r.question_id, (JSON.parse(r.question_json) as { options: { id: string; sourceId: string }[] }).options])));
      common = [...papers.at(-1)!.keys()].find((id) => papers.slice(0, -1).some((p) => p.has(id)));
    }
    expect(common, "two attempts share a question").toBeDefined();
    const [first, second] = papers.filter((p) => p.has(common!)).map((p) => p.get(common!)!);
    const key = getAnswerKey(common!)!;
    const idsOf = (options: { id: string }[]) => new Set(options.map((o) => o.id));
    // Different ids in the two attempts, and none of them the built id.
    for (const id of idsOf(first!)) expect(idsOf(second!).has(id)).toBe(false);
    for (const option of [...first!, ...second!]) {
      expect(option.id).toMatch(/^[a-z2-7]{13}$/);
      expect(key.options.map((o) => o.id)).not.toContain(option.id);
    }
    // The built ids come from the question id and the text only: no authoring index.
    for (const option of key.options) {
      expect(option.id).toBe(createHash("sha256").update(`${key.id}\u0000${option.text}`).digest("hex").slice(0, 12));
      for (let index = 0; index < 6; index += 1) expect(option.id).not.toBe(createHash("sha256").update(`${key.id}\u0000${index}\u0000${option.text}`).digest("hex").slice(0, 12));
    }
    // The server keeps the mapping to the built option in the attempt's snapshot.
    const snapshot = snapshots.find((s) => s.has(common!))!.get(common!)!;
    expect(snapshot.map((o) => o.sourceId).sort()).toEqual(key.options.map((o) => o.id).sort());
  });

  it("saves answers as the trainer goes and refuses every invalid answer, changing nothing", async () => {
    const trainer = await createUser(db);
    const other = await createUser(db);
    const started = await startAttempt(db, trainer.id, slug, t0);
    if (!started.ok) throw new Error(started.message ?? "refused");
    const attemptId = started.value.attemptId;
    const view = await getAttemptForTrainer(db, attemptId, trainer.id);
    if (!view.ok) throw new Error(view.message ?? "refused");
    const first = view.value.questions[0]!;
    const ok = await saveAnswer(db, { attemptId, userId: trainer.id, questionId: first.id, selected: [first.options[0]!.id] }, t0);
    expect(ok).toEqual({ ok: true, value: { answered: 1 } });

    const inAttempt = new Set(view.value.questions.map((q) => q.id));
    const outsider = getQuestionBank(slug).find((q) => !inAttempt.has(q.id))!;
    const refusals = [
      [{ attemptId, userId: other.id, questionId: first.id, selected: [first.options[1]!.id] }, 403, /another trainer/],
      [{ attemptId: "nosuchattempt", userId: trainer.id, questionId: first.id, selected: [] }, 404, /no such attempt/],
      [{ attemptId, userId: trainer.id, questionId: outsider.id, selected: [outsider.options[0]!.id] }, 400, /not part of this attempt/],
      [{ attemptId, userId: trainer.id, questionId: first.id, selected: ["ffffffffffff"] }, 400, /not part of this question/],
    ] as const;
    for (const [input, status, message] of refusals) {
      const result = await saveAnswer(db, { ...input, selected: [...input.selected] }, t0);
      expect(result).toMatchObject({ ok: false, status });
      if (!result.ok) expect(result.message).toMatch(message);
    }
    // Two options for a single-answer question: every paper has single-answer questions (the
    // blueprint draws 15 of a bank that is mostly single-answer), so this always runs.
    const single = view.value.questions.find((q) => q.type === "single");
    if (!single) throw new Error("the drawn paper has no single-answer question");
    const two = await saveAnswer(db, { attemptId, userId: trainer.id, questionId: single.id, selected: single.options.slice(0, 2).map((o) => o.id) }, t0);
    expect(two).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/one/i) });
    const after = await getAttemptForTrainer(db, attemptId, trainer.id);
    expect(after.ok && after.value.questions[0]!.selected).toEqual([first.options[0]!.id]);
    expect(after.ok && after.value.answered).toBe(1);
  });

  it("grades on the server; a second submission or a submission by someone else is refused", async () => {
    const trainer = await createUser(db);
    const other = await createUser(db);
    const started = await startAttempt(db, trainer.id, slug, t0);
    if (!started.ok) throw new Error(started.message ?? "refused");
    const attemptId = started.value.attemptId;
    await answerAll(attemptId, trainer.id, "right");
    expect(await submitAttempt(db, { attemptId, userId: other.id }, t0)).toMatchObject({ ok: false, status: 403 });
    const result = await submitAttempt(db, { attemptId, userId: trainer.id }, t0);
    expect(result).toEqual({ ok: true, value: { passed: true, percent: 100 } });
    expect(await submitAttempt(db, { attemptId, userId: trainer.id }, t0)).toMatchObject({ ok: false, status: 409 });
    // Answers can no longer change.
    const view = await getAttemptForTrainer(db, attemptId, trainer.id);
    const q = view.ok ? view.value.questions[0]! : null;
    expect(await saveAnswer(db, { attemptId, userId: trainer.id, questionId: q!.id, selected: [q!.options[0]!.id] }, t0)).toMatchObject({ ok: false, status: 409 });
    const graded = await getAttemptResult(db, attemptId, { id: trainer.id, role: "trainer" });
    expect(graded.ok && graded.value.questions.every((g) => g.correct && g.explanation.length > 0)).toBe(true);
    expect(await getAttemptResult(db, attemptId, { id: other.id, role: "trainer" })).toMatchObject({ ok: false, status: 403 });
    expect((await getAttemptResult(db, attemptId, { id: other.id, role: "assessor" })).ok).toBe(true);
    const audit = await db.selectFrom("audit_event").select("action").where("subject_id", "=", attemptId).execute();
    expect(audit.map((a) => a.action)).toEqual(["assessment.attempt_started", "assessment.passed"]);
  });

  it("the result is refused before grading", async () => {
    const trainer = await createUser(db);
    const started = await startAttempt(db, trainer.id, slug, t0);
    if (!started.ok) throw new Error(started.message ?? "refused");
    expect(await getAttemptResult(db, started.value.attemptId, { id: trainer.id, role: "trainer" })).toMatchObject({ ok: false, status: 409 });
  });

  it("applies the cooldown and the lock, and an assessor's unlock", async () => {
    const trainer = await createUser(db);
    const assessor = await createUser(db, { role: "assessor" });
    let now = t0;
    for (let i = 0; i < 3; i += 1) {
      const started = await startAttempt(db, trainer.id, slug, now);
      if (!started.ok) throw new Error(started.message ?? "refused");
      await answerAll(started.value.attemptId, trainer.id, "wrong", now);
      expect(await submitAttempt(db, { attemptId: started.value.attemptId, userId: trainer.id }, now)).toMatchObject({ ok: true, value: { passed: false } });
      const tooSoon = await startAttempt(db, trainer.id, slug, addMs(now, 23 * HOUR));
      expect(tooSoon).toMatchObject({ ok: false, status: 409 });
      now = addMs(now, 25 * HOUR);
    }
    const locked = await startAttempt(db, trainer.id, slug, addMs(now, 100 * HOUR));
    expect(locked.ok).toBe(false);
    if (!locked.ok) expect(locked.message).toMatch(/locked after 3 unsuccessful attempts/);
    expect(await unlockAssessment(db, { actorId: assessor.id, trainerId: trainer.id, slug: "medical-legal", reason: "not locked there" }, now)).toMatchObject({ ok: false, status: 409 });
    expect((await unlockAssessment(db, { actorId: assessor.id, trainerId: trainer.id, slug, reason: "Discussed the module with the trainer" }, now)).ok).toBe(true);
    expect((await startAttempt(db, trainer.id, slug, now)).ok).toBe(true);
  });

  it("uses the admin's retake policy", async () => {
    const fresh = await createTestDb();
    await registerModuleVersions(fresh, t0);
    const admin = await createUser(fresh, { role: "admin" });
    const trainer = await createUser(fresh);
    await updateAssessmentPolicy(fresh, admin.id, { cooldownHours: 1, failsBeforeLock: 5 }, t0);
    const started = await startAttempt(fresh, trainer.id, slug, t0);
    if (!started.ok) throw new Error(started.message ?? "refused");
    await submitAttempt(fresh, { attemptId: started.value.attemptId, userId: trainer.id }, t0);
    expect((await startAttempt(fresh, trainer.id, slug, addMs(t0, 2 * HOUR))).ok).toBe(true);
  });
});

describe("knowledge checks and progress", () => {
  it("grades a knowledge check on the server and refuses summative questions or bad options", () => {
    const module = getModule(slug)!;
    const [checkId] = Object.keys(module.knowledgeChecks);
    const key = getAnswerKey(checkId!)!;
    const right = checkKnowledgeAnswer(slug, key.id, key.options.filter((o) => o.correct).map((o) => o.id));
    expect(right).toMatchObject({ ok: true, value: { correct: true } });
    const summative = getQuestionBank(slug)[0]!;
    expect(checkKnowledgeAnswer(slug, summative.id, summative.options.filter((o) => o.correct).map((o) => o.id))).toMatchObject({ ok: false, status: 400 });
    expect(checkKnowledgeAnswer("medical-legal", key.id, [key.options[0]!.id])).toMatchObject({ ok: false, status: 400 });
    expect(checkKnowledgeAnswer(slug, key.id, ["nope"])).toMatchObject({ ok: false, status: 400 });
  });

  it("tracks sections complete and a module's state", async () => {
    const trainer = await createUser(db);
    const module = getModule(slug)!;
    let progress = (await getModuleProgress(db, trainer.id, t0)).find((p) => p.slug === slug)!;
    expect(progress).toMatchObject({ state: "not-started", sectionsDone: 0, resumeSectionId: module.sections[0]!.id });
    expect(await completeSection(db, trainer.id, slug, module.sections[0]!.id, t0)).toBe(true);
    expect(await completeSection(db, trainer.id, slug, module.sections[0]!.id, t0)).toBe(true);
    expect(await completeSection(db, trainer.id, slug, "no-such-section", t0)).toBe(false);
    progress = (await getModuleProgress(db, trainer.id, t0)).find((p) => p.slug === slug)!;
    expect(progress).toMatchObject({ state: "in-progress", sectionsDone: 1, resumeSectionId: module.sections[1]!.id });
  });
});
