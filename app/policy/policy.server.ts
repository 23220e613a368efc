import type { DB } from "~db/connection";
import { iso } from "~/utils/clock";
import { recordAudit } from "~/audit/audit.server";
import { DEFAULT_POLICY, POLICY_KEYS, type EntryPolicy } from "./policy";

const FIELDS = Object.keys(POLICY_KEYS) as (keyof EntryPolicy)[];

/** The policy in force: stored values, with the default for anything never set. */
export async function getPolicy(db: DB): Promise<EntryPolicy> {
  const rows = await db.selectFrom("policy_setting").select(["key", "value"]).execute();
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  const policy = { ...DEFAULT_POLICY };
  for (const field of FIELDS) {
    const raw = stored.get(POLICY_KEYS[field]);
    const value = raw === undefined ? NaN : Number(raw);
    // Zero is a real value for the supervision grace period and the off position of a switch.
    if (Number.isSafeInteger(value) && value >= 0) policy[field] = value;
  }
  return policy;
}

/** Saves the whole policy; audits what changed (old and new values). */
export async function updatePolicy(db: DB, actorId: number, next: EntryPolicy, now: Date): Promise<{ changed: string[] }> {
  return db.transaction().execute(async (trx) => {
    const current = await getPolicy(trx);
    const changes: Record<string, { from: number; to: number }> = {};
    for (const field of FIELDS) {
      if (current[field] === next[field]) continue;
      changes[field] = { from: current[field], to: next[field] };
      await trx
        .insertInto("policy_setting")
        .values({ key: POLICY_KEYS[field], value: String(next[field]), updated_by_user_id: actorId, updated_at: iso(now) })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: String(next[field]), updated_by_user_id: actorId, updated_at: iso(now) }))
        .execute();
    }
    const changed = Object.keys(changes);
    if (changed.length > 0) {
      await recordAudit(trx, { actorUserId: actorId, action: "policy.updated", subjectType: "policy", subjectId: null, details: changes }, now);
    }
    return { changed };
  });
}
