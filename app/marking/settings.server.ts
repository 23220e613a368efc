import type { DB } from "~db/connection";
import { iso } from "~/utils/clock";
import { recordAudit } from "~/audit/audit.server";
import type { ModerationSettings } from "./rules";

/** Admin settings for marking, stored in `policy_setting` beside the entry policy. */
export interface MarkingSettings extends ModerationSettings {
  /** Assessors see a candidate number instead of the trainer's name. */
  blindMarking: boolean;
}

export const DEFAULT_MARKING_SETTINGS: MarkingSettings = { referralPercent: 100, passPercent: 10, blindMarking: false };

const KEYS = {
  referralPercent: "report.moderation_referral_percent",
  passPercent: "report.moderation_pass_percent",
  blindMarking: "report.blind_marking",
} as const;

export async function getMarkingSettings(db: DB): Promise<MarkingSettings> {
  const rows = await db.selectFrom("policy_setting").select(["key", "value"]).where("key", "in", Object.values(KEYS)).execute();
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  const percent = (key: string, fallback: number) => {
    const value = Number(stored.get(key));
    return stored.has(key) && Number.isInteger(value) && value >= 0 && value <= 100 ? value : fallback;
  };
  return {
    referralPercent: percent(KEYS.referralPercent, DEFAULT_MARKING_SETTINGS.referralPercent),
    passPercent: percent(KEYS.passPercent, DEFAULT_MARKING_SETTINGS.passPercent),
    blindMarking: stored.has(KEYS.blindMarking) ? stored.get(KEYS.blindMarking) === "1" : DEFAULT_MARKING_SETTINGS.blindMarking,
  };
}

export async function updateMarkingSettings(db: DB, actorId: number, next: MarkingSettings, now: Date): Promise<{ changed: string[] }> {
  return db.transaction().execute(async (trx) => {
    const current = await getMarkingSettings(trx);
    const changes: Record<string, { from: number | boolean; to: number | boolean }> = {};
    for (const field of Object.keys(KEYS) as (keyof MarkingSettings)[]) {
      if (current[field] === next[field]) continue;
      changes[field] = { from: current[field], to: next[field] };
      const value = typeof next[field] === "boolean" ? (next[field] ? "1" : "0") : String(next[field]);
      await trx
        .insertInto("policy_setting")
        .values({ key: KEYS[field], value, updated_by_user_id: actorId, updated_at: iso(now) })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_by_user_id: actorId, updated_at: iso(now) }))
        .execute();
    }
    const changed = Object.keys(changes);
    if (changed.length > 0) await recordAudit(trx, { actorUserId: actorId, action: "report.settings_changed", subjectType: "policy", subjectId: null, details: changes }, now);
    return { changed };
  });
}
