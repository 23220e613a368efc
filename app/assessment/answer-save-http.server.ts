import type { RequestHandler } from "express";
import { requireRole } from "~/auth/guards.server";
import { requestHeadOf } from "~/http/request-head.server";
import { getDb } from "~/db.server";
import { serverClock } from "~/utils/clock.server";
import { readFormBody } from "~/utils/forms";
import { saveAnswer } from "./attempts.server";
import type { AnswerSaveReply } from "./answer-save";

/**
 * The attempt page's autosave, `POST /attempts/:attemptId/answers`, served by the HTTP layer
 * before Remix (ADR 0050): the request a trainer makes most often, and the one issue 14 asks to
 * run at the speed of SQLite. Remix's data request costs about 1.9 ms of CPU before the action
 * runs (matching all the site's routes, its single-fetch encoding); this costs the guard, the form
 * and `saveAnswer`. The checks are the page's own, not copies: `requireRole` (session, role), the
 * site's form reader (`readFormBody`: `readForm`'s checks, on the Node request's own stream: form
 * bodies only, size limit, UTF-8) and `saveAnswer` (the attempt is this trainer's, open, the
 * question is in it, the choice is valid). Cross-site posts are refused before this, as for every
 * route. The answer is JSON (`AnswerSaveReply`); a signed-out session gets 401 with the sign-in
 * address to go to. Without JavaScript the page's form still posts to the route's own action
 * (Remix), which saves with the same function.
 */
export function answerSaveHandler(): RequestHandler {
  return async (req, res, next) => {
    const attemptId = String(req.params.attemptId ?? "");
    const reply = (status: number, body: AnswerSaveReply) => res.status(status).json(body);
    try {
      const user = await requireRole(requestHeadOf(req), "trainer");
      const form = await readFormBody({ contentType: req.headers["content-type"], contentLength: req.headers["content-length"], body: req });
      const result = await saveAnswer(getDb(), { attemptId, userId: user.id, questionId: form.get("questionId") ?? "", selected: form.getAll("option") }, serverClock());
      if (!result.ok) return reply(result.status, { ok: false, error: result.message ?? "This answer could not be saved.", answered: null });
      return reply(200, { ok: true, error: null, answered: result.value.answered });
    } catch (thrown) {
      if (!(thrown instanceof Response)) return next(thrown);
      // The guard's redirect (signed out, or the session ended): say so, with where to sign in.
      if (thrown.status >= 300 && thrown.status < 400) {
        const signIn = `/login?redirectTo=${encodeURIComponent(`/attempts/${attemptId}`)}`;
        return reply(401, { ok: false, error: "You have been signed out. Sign in again to go on: the answers already saved are kept.", answered: null, signIn });
      }
      // The guard's 403, the form reader's 413, 415 and 400: their message, as JSON.
      return reply(thrown.status, { ok: false, error: (await thrown.text()) || "This answer could not be saved.", answered: null });
    }
  };
}
