/**
 * The attempt page's autosave endpoint (ADR 0050), served before Remix: called over HTTP as the
 * page calls it (a form post with a real session cookie) on a real Express app and a real
 * database. Only the trainer whose attempt it is may save, only while it is open, only a valid
 * choice of a question in it; every refusal is JSON with a message and changes nothing.
 */
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { sessionCookieName } from "~/auth/cookies.server";
import { createSession } from "~/auth/session.server";
import { enrolKnownSecondFactor } from "~/auth/two-factor.server";
import { registerModuleVersions } from "~/content/catalog.server";
import { getAttemptForTrainer, startAttempt, submitAttempt } from "~/assessment/attempts.server";
import { answerSaveHandler } from "~/assessment/answer-save-http.server";
import { answerSavePath } from "~/assessment/answer-save";
import { createTestDb, createUser } from "../helpers/db";
import { serveOnLoopback } from "../helpers/loopback-app";

const slug = "safeguarding";
let db: DB;
const saved = globalThis.__academyDb;
let close: () => Promise<void>;
let base: string;

beforeAll(async () => {
  db = await createTestDb();
  globalThis.__academyDb = db;
  await registerModuleVersions(db, new Date());
  const app = express();
  app.post("/attempts/:attemptId/answers", answerSaveHandler());
  ({ base, close } = await serveOnLoopback(app));
});

afterAll(async () => {
  await close();
  globalThis.__academyDb = saved;
  await db.destroy();
});

const cookieOf = async (userId: number) => `${sessionCookieName()}=${await createSession(db, userId, new Date())}`;

/** A trainer with an open attempt: its id, the first question and that question's options. */
async function trainerWithAttempt() {
  const trainer = await createUser(db, { role: "trainer" });
  const started = await startAttempt(db, trainer.id, slug, new Date());
  if (!started.ok) throw new Error(started.message ?? "refused");
  const view = await getAttemptForTrainer(db, started.value.attemptId, trainer.id);
  if (!view.ok) throw new Error("no view");
  const question = view.value.questions.find((q) => q.type === "single")!;
  return { trainer, attemptId: started.value.attemptId, question, cookie: await cookieOf(trainer.id) };
}

async function post(attemptId: string, cookie: string | null, form: URLSearchParams | string, contentType = "application/x-www-form-urlencoded") {
  const headers: Record<string, string> = { "content-type": contentType };
  if (cookie) headers.cookie = cookie;
  const response = await fetch(`${base}${answerSavePath(attemptId)}`, { method: "POST", headers, body: form.toString() });
  return { status: response.status, type: response.headers.get("content-type") ?? "", body: (await response.json()) as Record<string, unknown> };
}

const choice = (questionId: string, ...options: string[]) => {
  const form = new URLSearchParams({ questionId });
  for (const option of options) form.append("option", option);
  return form;
};

const storedAnswer = async (attemptId: string, questionId: string) =>
  (await db.selectFrom("attempt_question").select("answer").where("attempt_id", "=", attemptId).where("question_id", "=", questionId).executeTakeFirstOrThrow()).answer;

describe("the autosave endpoint (ADR 0050)", () => {
  it("saves the trainer's choice, replies with the count answered, and a later choice replaces it", async () => {
    const { attemptId, question, cookie } = await trainerWithAttempt();
    const first = await post(attemptId, cookie, choice(question.id, question.options[0]!.id));
    expect(first).toMatchObject({ status: 200, body: { ok: true, error: null, answered: 1 } });
    expect(first.type).toContain("application/json");
    expect(await storedAnswer(attemptId, question.id)).toBe(JSON.stringify([question.options[0]!.id]));
    expect(await post(attemptId, cookie, choice(question.id, question.options[1]!.id))).toMatchObject({ status: 200, body: { ok: true, answered: 1 } });
    expect(await storedAnswer(attemptId, question.id)).toBe(JSON.stringify([question.options[1]!.id]));
    // Clearing the choice (no option) clears the answer.
    expect(await post(attemptId, cookie, choice(question.id))).toMatchObject({ status: 200, body: { ok: true, answered: 0 } });
    expect(await storedAnswer(attemptId, question.id)).toBeNull();
  });

  it("refuses bad input with a message and changes nothing", async () => {
    const { attemptId, question, cookie } = await trainerWithAttempt();
    const cases: [URLSearchParams | string, string, number][] = [
      [choice(question.id, "not-an-option"), "application/x-www-form-urlencoded", 400],
      [choice(question.id, question.options[0]!.id, question.options[1]!.id), "application/x-www-form-urlencoded", 400],
      [choice("no-such-question", question.options[0]!.id), "application/x-www-form-urlencoded", 400],
      [JSON.stringify({ questionId: question.id, option: question.options[0]!.id }), "application/json", 415],
      [`questionId=${question.id}&option=${"x".repeat(70_000)}`, "application/x-www-form-urlencoded", 413],
    ];
    for (const [form, type, status] of cases) {
      const reply = await post(attemptId, cookie, form, type);
      expect(reply.status, `${type} ${String(form).slice(0, 60)}`).toBe(status);
      expect(reply.body).toMatchObject({ ok: false, answered: null });
      expect(String(reply.body.error).length).toBeGreaterThan(10);
    }
    expect(await storedAnswer(attemptId, question.id)).toBeNull();
  });

  it("refuses anyone but the attempt's trainer, and a submitted attempt; signed out gets 401 with where to sign in", async () => {
    const { trainer, attemptId, question } = await trainerWithAttempt();
    const form = choice(question.id, question.options[0]!.id);
    const signedOut = await post(attemptId, null, form);
    expect(signedOut).toMatchObject({ status: 401, body: { ok: false, signIn: `/login?redirectTo=${encodeURIComponent(`/attempts/${attemptId}`)}` } });
    expect(await post(attemptId, "academy_session=forged", form)).toMatchObject({ status: 401 });
    const other = await trainerWithAttempt();
    expect(await post(attemptId, other.cookie, form)).toMatchObject({ status: 403, body: { ok: false } });
    const assessor = await createUser(db, { role: "assessor" });
    await enrolKnownSecondFactor(db, assessor.id, new Uint8Array(20).fill(7), new Date());
    expect(await post(attemptId, await cookieOf(assessor.id), form)).toMatchObject({ status: 403, body: { ok: false } });
    expect(await post("no-such-attempt", await cookieOf(trainer.id), form)).toMatchObject({ status: 404, body: { ok: false } });
    expect(await storedAnswer(attemptId, question.id)).toBeNull();
    expect((await submitAttempt(db, { attemptId, userId: trainer.id }, new Date())).ok).toBe(true);
    expect(await post(attemptId, await cookieOf(trainer.id), form)).toMatchObject({ status: 409, body: { ok: false } });
    expect(await storedAnswer(attemptId, question.id)).toBeNull();
  });
});
