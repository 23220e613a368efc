import type { DB } from "~db/connection";
import { iso } from "~/utils/clock";
import { recordAudit } from "~/audit/audit.server";

/** Admin settings for the public register, stored in `policy_setting` beside the entry policy (ADR 0029). */
export interface RegisterSettings {
  /** Ask search engines not to index the register (a `noindex` robots meta tag and header). */
  noindex: boolean;
}

export const DEFAULT_REGISTER_SETTINGS: RegisterSettings = { noindex: true };

const KEYS = { noindex: "register.noindex" } as const;

export async function getRegisterSettings(db: DB): Promise<RegisterSettings> {
  const row = await db.selectFrom("policy_setting").select("value").where("key", "=", KEYS.noindex).executeTakeFirst();
  return { noindex: row ? row.value !== "0" : DEFAULT_REGISTER_SETTINGS.noindex };
}

/** Saves the settings; audits a change (old and new values) as `register.settings_changed`. */
export async function updateRegisterSettings(db: DB, actorId: number, next: RegisterSettings, now: Date): Promise<{ changed: boolean }> {
  return db.transaction().execute(async (trx) => {
    const current = await getRegisterSettings(trx);
    if (current.noindex === next.noindex) return { changed: false };
    const value = next.noindex ? "1" : "0";
    await trx
      .insertInto("policy_setting")
      .values({ key: KEYS.noindex, value, updated_by_user_id: actorId, updated_at: iso(now) })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_by_user_id: actorId, updated_at: iso(now) }))
      .execute();
    await recordAudit(trx, { actorUserId: actorId, action: "register.settings_changed", subjectType: "policy", subjectId: null, details: { noindex: { from: current.noindex, to: next.noindex } } }, now);
    return { changed: true };
  });
}
