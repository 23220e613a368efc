/** The autosave endpoint's address and reply (ADR 0050), shared by the server and the attempt page. */
export const answerSavePath = (attemptId: string) => `/attempts/${encodeURIComponent(attemptId)}/answers`;

/** What `POST /attempts/:attemptId/answers` answers: the count answered, or why nothing changed. */
export type AnswerSaveReply =
  | { ok: true; error: null; answered: number }
  | { ok: false; error: string; answered: null; /** Signed out (401): where to sign in again. */ signIn?: string };
