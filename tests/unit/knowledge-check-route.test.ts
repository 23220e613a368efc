/**
 * The lesson island's JSON route for a knowledge check (ADR 0047), called as the island calls it:
 * a form post with a real session cookie. Only a signed-in trainer gets a reply; the reply grades
 * on the server exactly as the lesson's plain post does, carries the key and explanation only with
 * a graded answer, and bad input gets a message and a 4xx, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import type { DB } from "~db/connection";
import { sessionCookieName } from "~/auth/cookies.server";
import { createSession } from "~/auth/session.server";
import { enrolKnownSecondFactor } from "~/auth/two-factor.server";
import { getAnswerKey, getModule, getQuestionBank, registerModuleVersions } from "~/content/catalog.server";
import { knowledgeCheckReply } from "~/assessment/attempts.server";
import { action, loader } from "~/routes/modules.$slug.$section_.check";
import { createTestDb, createUser } from "../helpers/db";

const BASE = "http://academy.test";
const slug = "safeguarding";
let db: DB;
const saved = globalThis.__academyDb;
let trainerId: number;
let assessorId: number;

beforeAll(async () => {
  db = await createTestDb();
  globalThis.__academyDb = db;
  await registerModuleVersions(db, new Date());
  trainerId = (await createUser(db, { role: "trainer" })).id;
  assessorId = (await createUser(db, { role: "assessor" })).id;
  await enrolKnownSecondFactor(db, assessorId, new Uint8Array(20).fill(7), new Date());
});

afterAll(async () => {
  globalThis.__academyDb = saved;
  await db.destroy();
});

/** Posts `form` to the check route of `section` as `userId` (null: signed out); the Response, thrown or returned. */
async function post(userId: number | null, form: URLSearchParams, section = getModule(slug)!.sections[0]!.id): Promise<Response> {
  const headers = new Headers({ "content-type": "application/x-www-form-urlencoded" });
  if (userId !== null) headers.set("cookie", `${sessionCookieName()}=${await createSession(db, userId, new Date())}`);
  const request = new Request(`${BASE}/modules/${slug}/${section}/check`, { method: "POST", headers, body: form.toString() });
  try {
    return (await action({ request, params: { slug, section }, context: { clientIp: "192.0.2.10", cspNonce: "n" } } as unknown as ActionFunctionArgs)) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

function answer(questionId: string, options: string[]): URLSearchParams {
  const form = new URLSearchParams({ intent: "check", questionId });
  for (const option of options) form.append("option", option);
  return form;
}

describe("the knowledge check route (ADR 0047)", () => {
  const module = getModule(slug)!;
  const key = getAnswerKey(Object.keys(module.knowledgeChecks)[0]!)!;
  const right = key.options.filter((o) => o.correct).map((o) => o.id);
  const wrong = key.options.filter((o) => !o.correct).map((o) => o.id).slice(0, 1);

  it("answers a trainer in JSON: right and wrong, with the key and explanation only once answered", async () => {
    const correct = await post(trainerId, answer(key.id, right));
    expect(correct.status).toBe(200);
    expect(correct.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await correct.json()).toEqual({ questionId: key.id, selected: right, correct: true, correctOptionIds: right, explanation: key.explanation });
    const incorrect = await post(trainerId, answer(key.id, wrong));
    expect(await incorrect.json()).toMatchObject({ correct: false, correctOptionIds: right, selected: wrong });
    // The same reply the lesson's own post (without JavaScript) gives.
    expect(knowledgeCheckReply(slug, answer(key.id, wrong))).toEqual({ status: 200, reply: { questionId: key.id, selected: wrong, correct: false, correctOptionIds: right, explanation: key.explanation } });
  });

  it("refuses bad answers with a message and no key: nothing chosen, an unknown option, a summative question, another module's check", async () => {
    const cases: [URLSearchParams, RegExp][] = [
      [answer(key.id, []), /Choose an answer first/],
      [answer(key.id, ["not-an-option"]), /./],
      [answer(getQuestionBank(slug)[0]!.id, [getQuestionBank(slug)[0]!.options[0]!.id]), /not a knowledge check in this module/],
      [answer("no-such-question", ["x"]), /not a knowledge check in this module/],
    ];
    for (const [form, message] of cases) {
      const response = await post(trainerId, form);
      expect(response.status, form.toString()).toBe(400);
      const reply = (await response.json()) as Record<string, unknown>;
      expect(reply.error).toMatch(message);
      expect(reply).not.toHaveProperty("correctOptionIds");
      expect(reply).not.toHaveProperty("explanation");
    }
    const elsewhere = getModule("medical-legal")!;
    const otherKey = getAnswerKey(Object.keys(elsewhere.knowledgeChecks)[0]!)!;
    const crossModule = await post(trainerId, answer(otherKey.id, otherKey.options.filter((o) => o.correct).map((o) => o.id)));
    expect(crossModule.status).toBe(400);
    expect(await crossModule.json()).not.toHaveProperty("correctOptionIds");
  });

  it("signed out: sent to sign in; staff: 403; an unknown section: 404; never a key", async () => {
    const signedOut = await post(null, answer(key.id, right));
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("Location")).toMatch(/^\/login/);
    const staff = await post(assessorId, answer(key.id, right));
    expect(staff.status).toBe(403);
    const unknown = await post(trainerId, answer(key.id, right), "no-such-section");
    expect(unknown.status).toBe(404);
    for (const response of [signedOut, staff, unknown]) expect(await response.text()).not.toContain(key.explanation[0]!);
  });

  it("a GET is refused with 405 and the method allowed", () => {
    let thrown: unknown;
    try {
      loader();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(405);
    expect((thrown as Response).headers.get("Allow")).toBe("POST");
  });
});
