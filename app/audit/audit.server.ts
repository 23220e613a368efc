import type { DB } from "~db/connection";
import type { AuditEvent } from "~db/schema";
import { iso } from "~/utils/clock";

export interface AuditEntry {
  actorUserId: number | null;
  action: string;
  subjectType: string;
  subjectId: string | number | null;
  /** Never passwords, tokens, session secrets or DBS certificate numbers. */
  details?: Record<string, unknown>;
}

/**
 * Appends one decision to the audit trail. There is deliberately no update or delete function;
 * the table's triggers refuse both as well.
 */
export async function recordAudit(db: DB, entry: AuditEntry, now: Date): Promise<void> {
  await db
    .insertInto("audit_event")
    .values({
      occurred_at: iso(now),
      actor_user_id: entry.actorUserId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId === null ? null : String(entry.subjectId),
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export interface AuditFilter {
  action?: string;
  subjectType?: string;
  actorUserId?: number;
  limit?: number;
}

export type AuditRow = AuditEvent & { actor_name: string | null; actor_email: string | null };

export async function listAuditEvents(db: DB, filter: AuditFilter = {}): Promise<AuditRow[]> {
  let query = db
    .selectFrom("audit_event")
    .leftJoin("user", "user.id", "audit_event.actor_user_id")
    .selectAll("audit_event")
    .select(["user.name as actor_name", "user.email as actor_email"]);
  if (filter.action) query = query.where("audit_event.action", "=", filter.action);
  if (filter.subjectType) query = query.where("audit_event.subject_type", "=", filter.subjectType);
  if (filter.actorUserId !== undefined) query = query.where("audit_event.actor_user_id", "=", filter.actorUserId);
  return query.orderBy("audit_event.id", "desc").limit(filter.limit ?? 200).execute();
}

export async function listAuditActions(db: DB): Promise<string[]> {
  const rows = await db.selectFrom("audit_event").select("action").distinct().orderBy("action").execute();
  return rows.map((r) => r.action);
}
