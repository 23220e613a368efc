import type { DB } from "~db/connection";
import { compiledOnceWith } from "~db/compiled-once";
import type { Role } from "~db/schema";
import { queueEmails, type OutgoingEmail } from "~/email/outbox.server";
import { recordAudit } from "~/audit/audit.server";
import { getEnv } from "~/utils/env.server";
import { iso } from "~/utils/clock";
import { NOTIFICATION_KINDS, EMAIL_MODES, type EmailMode, type NotificationKind } from "./kinds";

/**
 * Notifications (issue 12 item 3, ADR 0028). Call `notify` at the place a fact is recorded,
 * inside that transaction: the in-app notification and (per the person's preference) its email
 * commit with the fact or not at all. Email is only queued here; the outbox worker sends it.
 *
 *   await notify(trx, { userId, kind: "report_outcome", title: "Your report has been marked",
 *     body: "…", link: "/report" }, now);
 *   await notifyStaff(trx, "assessor", { kind: "evidence_to_verify", title: "…", body: "…", link: "/staff/verification" }, now);
 */
export interface NotificationInput {
  userId: number;
  kind: NotificationKind;
  /** One line: the in-app list's heading and the email's subject. No client-identifying details. */
  title: string;
  /** A sentence or two of plain text. */
  body: string;
  /** A path inside the app ("/requirements"); the email gets the full address. */
  link?: string | null;
  /** Send the email at once whatever the preference (defaults to the kind's own urgency). */
  urgent?: boolean;
}

/** The default for people who have not chosen: staff get a daily digest, trainers each email as it happens. */
export const defaultEmailMode = (role: Role): EmailMode => (role === "trainer" ? "immediate" : "digest");

/** Records the notifications and queues their emails, inside the caller's transaction. */
export async function notifyAll(trx: DB, inputs: NotificationInput[], now: Date): Promise<void> {
  if (inputs.length === 0) return;
  const ids = [...new Set(inputs.map((i) => i.userId))];
  const people = await trx
    .selectFrom("user")
    .leftJoin("notification_preference as p", "p.user_id", "user.id")
    .select(["user.id", "user.email", "user.name", "user.role", "user.disabled_at", "p.email_mode"])
    .where("user.id", "in", ids)
    .execute();
  const byId = new Map(people.map((p) => [p.id, p]));
  const base = getEnv().PUBLIC_BASE_URL;
  const emails: OutgoingEmail[] = [];
  const rows = inputs.flatMap((input) => {
    const person = byId.get(input.userId);
    if (!person) return [];
    const urgent = input.urgent ?? NOTIFICATION_KINDS[input.kind].urgent;
    const mode = person.email_mode ?? defaultEmailMode(person.role);
    const email = person.disabled_at ? "none" : urgent || mode === "immediate" ? "immediate" : "digest";
    if (email === "immediate") {
      emails.push({
        to: person.email,
        subject: input.title,
        text: `Hello ${person.name},\n\n${input.body}\n${input.link ? `\n${base}${input.link}\n` : ""}\nYou can see all your notifications at ${base}/notifications and choose how we email you at ${base}/account.\n`,
      });
    }
    return [{ user_id: input.userId, kind: input.kind, title: input.title, body: input.body, link: input.link ?? null, created_at: iso(now), read_at: null, email, digested_at: null } as const];
  });
  // 1,000 rows of 9 values a statement: within both engines' parameter limits, and one statement per job batch.
  for (let i = 0; i < rows.length; i += 1000) await trx.insertInto("notification").values(rows.slice(i, i + 1000)).execute();
  await queueEmails(trx, emails, now);
}

/** One notification for one person, inside the caller's transaction. */
export function notify(trx: DB, input: NotificationInput, now: Date): Promise<void> {
  return notifyAll(trx, [input], now);
}

/** The enabled accounts with `role` ("staff" = assessors and admins). */
export async function staffUserIds(trx: DB, role: "admin" | "assessor" | "staff"): Promise<number[]> {
  const roles: Role[] = role === "staff" ? ["assessor", "admin"] : [role];
  const rows = await trx.selectFrom("user").select("id").where("role", "in", roles).where("disabled_at", "is", null).orderBy("id").execute();
  return rows.map((r) => r.id);
}

/** The same notification for every enabled admin, assessor, or both ("staff"), except `except` (the actor). */
export async function notifyStaff(trx: DB, role: "admin" | "assessor" | "staff", input: Omit<NotificationInput, "userId">, now: Date, except?: number): Promise<void> {
  const ids = (await staffUserIds(trx, role)).filter((id) => id !== except);
  await notifyAll(trx, ids.map((userId) => ({ ...input, userId })), now);
}

// --- The list ---------------------------------------------------------------------------------

export const PAGE_SIZE = 25;

/** The header's count, on every signed-in page: built and compiled once (ADR 0053). */
const compiledUnreadCount = compiledOnceWith(
  (db: DB, v: { userId: number }) =>
    db
      .selectFrom("notification")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", v.userId)
      .where("read_at", "is", null),
  () => "unread-count",
);

export async function unreadCount(db: DB, userId: number): Promise<number> {
  const { rows } = await db.executeQuery(compiledUnreadCount(db, null, { userId }));
  return Number(rows[0]!.n);
}

/** One page of a person's own notifications, newest first. */
export async function listNotifications(db: DB, userId: number, page = 1) {
  const current = Math.max(1, Math.floor(page) || 1);
  const [items, total] = await Promise.all([
    db
      .selectFrom("notification")
      .select(["id", "kind", "title", "body", "link", "created_at", "read_at"])
      .where("user_id", "=", userId)
      .orderBy("id", "desc")
      .limit(PAGE_SIZE)
      .offset((current - 1) * PAGE_SIZE)
      .execute(),
    db.selectFrom("notification").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", userId).executeTakeFirstOrThrow(),
  ]);
  return { items, page: current, pageCount: Math.max(1, Math.ceil(Number(total.n) / PAGE_SIZE)), total: Number(total.n) };
}

/** Marks one of the person's own notifications read; false when it is not theirs (or does not exist). */
export async function markRead(db: DB, userId: number, id: number, now: Date): Promise<boolean> {
  const own = await db.selectFrom("notification").select("read_at").where("id", "=", id).where("user_id", "=", userId).executeTakeFirst();
  if (!own) return false;
  await db.updateTable("notification").set({ read_at: iso(now) }).where("id", "=", id).where("user_id", "=", userId).where("read_at", "is", null).execute();
  return true;
}

export async function markAllRead(db: DB, userId: number, now: Date): Promise<number> {
  const result = await db.updateTable("notification").set({ read_at: iso(now) }).where("user_id", "=", userId).where("read_at", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// --- Preferences ------------------------------------------------------------------------------

export async function emailModeOf(db: DB, user: { id: number; role: Role }): Promise<EmailMode> {
  const row = await db.selectFrom("notification_preference").select("email_mode").where("user_id", "=", user.id).executeTakeFirst();
  return row?.email_mode ?? defaultEmailMode(user.role);
}

export const isEmailMode = (value: unknown): value is EmailMode => typeof value === "string" && (EMAIL_MODES as readonly string[]).includes(value);

/** Saves the person's choice (validated by the caller with isEmailMode), audited. */
export async function setEmailMode(db: DB, userId: number, mode: EmailMode, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("notification_preference")
      .values({ user_id: userId, email_mode: mode, updated_at: iso(now) })
      .onConflict((oc) => oc.column("user_id").doUpdateSet({ email_mode: mode, updated_at: iso(now) }))
      .execute();
    await recordAudit(trx, { actorUserId: userId, action: "notifications.preference_changed", subjectType: "user", subjectId: userId, details: { emailMode: mode } }, now);
  });
}
