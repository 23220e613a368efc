import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { changePassword } from "~/auth/accounts.server";
import { CONFIRMATION_FAILURES_ALLOWED, CONFIRMATION_WINDOW_MS } from "~/auth/password-confirmation.server";
import { requestErasure } from "~/erasure/requests.server";
import { MINUTE, addMs } from "~/utils/clock";
import { createTestDb, createUser } from "../helpers/db";

let db: DB;
const t0 = new Date("2026-03-01T08:00:00Z");

beforeAll(async () => {
  db = await createTestDb();
});

describe("re-entering the password on signed-in pages is throttled per account", () => {
  it("change password: after the allowed wrong guesses even the right password is refused, nothing changes, until the window ends", async () => {
    const user = await createUser(db);
    const hashBefore = (await db.selectFrom("user").select("password_hash").where("id", "=", user.id).executeTakeFirstOrThrow()).password_hash;
    for (let i = 0; i < CONFIRMATION_FAILURES_ALLOWED; i += 1) {
      const wrong = await changePassword(db, user.id, { currentPassword: `guess ${i}`, newPassword: "a brand new passphrase" }, addMs(t0, i * 1000));
      expect(wrong).toMatchObject({ ok: false, status: 400, fieldErrors: { currentPassword: "Your current password is not right." } });
    }
    const refused = await changePassword(db, user.id, { currentPassword: user.password, newPassword: "a brand new passphrase" }, addMs(t0, MINUTE));
    expect(refused).toMatchObject({ ok: false, status: 429, retryAfterMs: CONFIRMATION_WINDOW_MS - MINUTE });
    expect(refused.ok ? "" : refused.message).toMatch(/Too many wrong passwords.*wait 14 minutes/);
    const hashAfter = (await db.selectFrom("user").select("password_hash").where("id", "=", user.id).executeTakeFirstOrThrow()).password_hash;
    expect(hashAfter).toBe(hashBefore);
    const later = await changePassword(db, user.id, { currentPassword: user.password, newPassword: "a brand new passphrase" }, addMs(t0, CONFIRMATION_WINDOW_MS + MINUTE));
    expect(later.ok).toBe(true);
  });

  it("counts each account on its own, and a right password clears the count", async () => {
    const guessed = await createUser(db);
    const other = await createUser(db);
    for (let i = 0; i < CONFIRMATION_FAILURES_ALLOWED; i += 1) await changePassword(db, guessed.id, { currentPassword: "nope", newPassword: "a brand new passphrase" }, t0);
    expect((await changePassword(db, other.id, { currentPassword: other.password, newPassword: "another new passphrase" }, t0)).ok).toBe(true);

    const cleared = await createUser(db);
    for (let i = 0; i < CONFIRMATION_FAILURES_ALLOWED - 1; i += 1) await changePassword(db, cleared.id, { currentPassword: "nope", newPassword: "a brand new passphrase" }, t0);
    expect((await changePassword(db, cleared.id, { currentPassword: cleared.password, newPassword: "a brand new passphrase" }, t0)).ok).toBe(true);
    for (let i = 0; i < CONFIRMATION_FAILURES_ALLOWED - 1; i += 1) await changePassword(db, cleared.id, { currentPassword: "nope", newPassword: "x passphrase again" }, t0);
    expect((await changePassword(db, cleared.id, { currentPassword: "a brand new passphrase", newPassword: "x passphrase again" }, t0)).ok).toBe(true);
  });

  it("the erasure request shares the count: wrong guesses there block it, and no request is made", async () => {
    const trainer = await createUser(db);
    for (let i = 0; i < CONFIRMATION_FAILURES_ALLOWED; i += 1) {
      expect(await requestErasure(db, { id: trainer.id, role: "trainer" }, `guess ${i}`, t0)).toMatchObject({ ok: false, status: 400 });
    }
    expect(await requestErasure(db, { id: trainer.id, role: "trainer" }, trainer.password, t0)).toMatchObject({ ok: false, status: 429 });
    expect(await db.selectFrom("erasure_request").select("id").where("user_id", "=", trainer.id).execute()).toEqual([]);
    expect(await changePassword(db, trainer.id, { currentPassword: trainer.password, newPassword: "a brand new passphrase" }, t0)).toMatchObject({ ok: false, status: 429 });
  });
});
