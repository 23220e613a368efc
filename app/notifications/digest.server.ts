import type { DB } from "~db/connection";
import type { Notification } from "~db/schema";
import { queueEmails } from "~/email/outbox.server";
import { getEnv } from "~/utils/env.server";
import { iso } from "~/utils/clock";
import { londonHourOf, ukToday } from "~/utils/dates";
import { kindLabel, NOTIFICATION_KINDS } from "./kinds";

/** The daily digest goes out with the first scheduled run at or after this hour, UK time. */
export const DIGEST_HOUR_UK = 7;


type DigestItem = Pick<Notification, "kind" | "title" | "link" | "created_at">;

/**
 * One email for a person's waiting notifications, grouped by kind in the order of
 * NOTIFICATION_KINDS (work first), each group headed by its label and count.
 */
export function composeDigest(name: string, items: DigestItem[], base: string): { subject: string; text: string } {
  const order = Object.keys(NOTIFICATION_KINDS);
  const groups = new Map<string, DigestItem[]>();
  for (const item of [...items].sort((a, b) => a.created_at.localeCompare(b.created_at))) {
    groups.set(item.kind, [...(groups.get(item.kind) ?? []), item]);
  }
  const kinds = [...groups.keys()].sort((a, b) => (order.indexOf(a) === -1 ? 999 : order.indexOf(a)) - (order.indexOf(b) === -1 ? 999 : order.indexOf(b)));
  const sections = kinds.map((kind) => {
    const list = groups.get(kind)!;
    return `${kindLabel(kind)} (${list.length})\n${list.map((i) => `- ${i.title}${i.link ? `: ${base}${i.link}` : ""}`).join("\n")}`;
  });
  const subject = `Your daily summary: ${items.length} ${items.length === 1 ? "update" : "updates"}`;
  const text = `Hello ${name},\n\nHere is what happened since your last summary.\n\n${sections.join("\n\n")}\n\nSee them all at ${base}/notifications. You can choose to get each email as it happens on your account page: ${base}/account\n`;
  return { subject, text };
}

/**
 * The daily digests: from DIGEST_HOUR_UK, once per person per UK day, one email with everything
 * waiting for the digest. Each person's digest is claimed by a unique (person, day) row and the
 * notifications it covers are taken with a conditional update, in one transaction, so two nodes
 * running this at once send each person one digest with each item once. Returns how many were sent.
 */
export async function sendDailyDigests(db: DB, now: Date): Promise<number> {
  if (londonHourOf(now) < DIGEST_HOUR_UK) return 0;
  const day = ukToday(now);
  const base = getEnv().PUBLIC_BASE_URL;
  const waiting = await db
    .selectFrom("notification")
    .select("user_id")
    .distinct()
    .where("email", "=", "digest")
    .where("digested_at", "is", null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("notification_digest").select("notification_digest.id").whereRef("notification_digest.user_id", "=", "notification.user_id").where("notification_digest.digest_day", "=", day))),
    )
    .orderBy("user_id")
    .execute();
  let sent = 0;
  for (const { user_id: userId } of waiting) {
    sent += await db.transaction().execute(async (trx) => {
      const claim = await trx
        .insertInto("notification_digest")
        .values({ user_id: userId, digest_day: day, item_count: 0, sent_at: iso(now) })
        .onConflict((oc) => oc.columns(["user_id", "digest_day"]).doNothing())
        .returning("id")
        .executeTakeFirst();
      if (!claim) return 0;
      const items = await trx
        .updateTable("notification")
        .set({ digested_at: iso(now) })
        .where("user_id", "=", userId)
        .where("email", "=", "digest")
        .where("digested_at", "is", null)
        .returning(["kind", "title", "link", "created_at"])
        .execute();
      const person = await trx.selectFrom("user").select(["email", "name", "disabled_at"]).where("id", "=", userId).executeTakeFirstOrThrow();
      if (items.length === 0 || person.disabled_at) {
        await trx.deleteFrom("notification_digest").where("id", "=", claim.id).execute();
        return 0;
      }
      await trx.updateTable("notification_digest").set({ item_count: items.length }).where("id", "=", claim.id).execute();
      const { subject, text } = composeDigest(person.name, items, base);
      await queueEmails(trx, [{ to: person.email, subject, text }], now);
      return 1;
    });
  }
  return sent;
}
