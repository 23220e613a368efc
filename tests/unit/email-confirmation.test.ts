import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { migrations } from "~db/migrations/index";
import { signUpTrainer } from "~/auth/accounts.server";
import {
  EMAIL_CONFIRMATION_LIFETIME_MS,
  EMAIL_NOT_CONFIRMED,
  confirmEmail,
  emailConfirmationRefusal,
  resendEmailConfirmation,
  sendEmailConfirmation,
} from "~/auth/email-confirmation.server";
import { MINUTE, addMs } from "~/utils/clock";
import { createTestDb } from "../helpers/db";
import { emptyDatabase, migrationsBefore, migrator } from "../helpers/migrations";

let db: DB;
const now = new Date("2026-04-01T10:00:00Z");
const BASE = "https://academy.example";

beforeAll(async () => {
  db = await createTestDb();
});

async function newTrainer(email: string) {
  const result = await signUpTrainer(db, { name: "Cora Confirm", email, password: "long enough password" }, now);
  if (!result.ok) throw new Error("sign-up failed");
  await sendEmailConfirmation(db, { id: result.value.userId, name: "Cora Confirm", email }, BASE, now);
  return result.value.userId;
}

async function linkIn(email: string): Promise<string> {
  const rows = await db.selectFrom("email_outbox").select("body_text").where("to_address", "=", email).orderBy("id", "desc").execute();
  const match = /\/confirm-email\/([a-z2-7]+\.[a-z2-7]+)/.exec(rows[0]?.body_text ?? "");
  if (!match) throw new Error(`no confirmation link for ${email}`);
  return match[1]!;
}

describe("email address confirmation", () => {
  it("a new trainer cannot submit evidence until the emailed link is used, once", async () => {
    const userId = await newTrainer("cora@example.test");
    expect((await emailConfirmationRefusal(db, userId))?.message).toBe(EMAIL_NOT_CONFIRMED);
    expect((await emailConfirmationRefusal(db, userId))?.status).toBe(403);
    const token = await linkIn("cora@example.test");
    const confirmed = await confirmEmail(db, token, addMs(now, MINUTE));
    expect(confirmed.ok).toBe(true);
    expect(await emailConfirmationRefusal(db, userId)).toBeNull();
    expect((await confirmEmail(db, token, addMs(now, 2 * MINUTE))).ok).toBe(false);
    const audit = await db.selectFrom("audit_event").select(["action", "actor_user_id"]).where("subject_id", "=", String(userId)).execute();
    expect(audit).toContainEqual({ action: "account.email_confirmed", actor_user_id: userId });
  });

  it("a link expires, and a resent link replaces the old one (at most one a minute)", async () => {
    const userId = await newTrainer("dev@example.test");
    const first = await linkIn("dev@example.test");
    expect((await confirmEmail(db, first, addMs(now, EMAIL_CONFIRMATION_LIFETIME_MS))).ok).toBe(false);
    const tooSoon = await resendEmailConfirmation(db, userId, BASE, addMs(now, 30_000));
    // The wait is what is left of the minute since the last link: it reaches the browser as Retry-After.
    expect(tooSoon).toMatchObject({ ok: false, status: 429, retryAfterMs: 30_000 });
    const resent = await resendEmailConfirmation(db, userId, BASE, addMs(now, 2 * MINUTE));
    expect(resent.ok && resent.value.sent).toBe(true);
    const second = await linkIn("dev@example.test");
    expect(second).not.toBe(first);
    expect((await confirmEmail(db, first, addMs(now, 3 * MINUTE))).ok).toBe(false);
    expect((await confirmEmail(db, second, addMs(now, 3 * MINUTE))).ok).toBe(true);
    const again = await resendEmailConfirmation(db, userId, BASE, addMs(now, 10 * MINUTE));
    expect(again.ok && again.value.sent).toBe(false);
  });

  it("a malformed or guessed link confirms nothing", async () => {
    expect((await confirmEmail(db, "not-a-token", now)).ok).toBe(false);
    expect((await confirmEmail(db, "abcdefghijklmnop.qrstuvwxyz234567", now)).ok).toBe(false);
  });

  it("the migration marks accounts that already existed as confirmed, so they keep working", async () => {
    const MIGRATION = "2026-12-01-0600-invitations-and-email-confirmation";
    const fresh = await emptyDatabase();
    expect((await migrator(fresh, migrationsBefore(MIGRATION)).migrateToLatest()).error).toBeUndefined();
    const created = "2026-03-01T09:00:00.000Z";
    await fresh.insertInto("user").values({ email: "old@example.test", name: "Old Trainer", role: "trainer", password_hash: "x", disabled_at: null, created_at: created, updated_at: created }).execute();
    await fresh
      .insertInto("one_time_token")
      .values({ id: "aaaaaaaaaaaaaaaa", purpose: "password_reset", user_id: null, secret_hash: "h", created_at: created, expires_at: created, used_at: null })
      .execute();
    expect((await migrator(fresh, migrations).migrateToLatest()).error).toBeUndefined();
    const old = await fresh.selectFrom("user").select("email_confirmed_at").where("email", "=", "old@example.test").executeTakeFirstOrThrow();
    expect(old.email_confirmed_at).toBe(created);
    expect(await fresh.selectFrom("one_time_token").select(["id", "purpose"]).execute()).toEqual([{ id: "aaaaaaaaaaaaaaaa", purpose: "password_reset" }]);
    await fresh.destroy();
  });
});
