/**
 * The assessor's verification queue (qualifications and insurance waiting to be checked),
 * oldest first, one page at a time (issue 19, ADR 0014). The two kinds are one UNION ALL, so a
 * page is still one query, ordered by (submitted, kind:id).
 */
import { sql } from "kysely";
import type { DB } from "~db/connection";
import { containsText, keysetPage, type AnySelect } from "~/utils/keyset";
import { likePattern, parseDays, parsePageRequest, parseSearch, type Page, type PageRequest } from "~/utils/pagination";
import { iso } from "~/utils/clock";
import { formatDate } from "~/utils/dates";
import { VERIFICATION_KINDS, type VerificationKind } from "./kinds";
import { QUEUE_AGE_DAYS } from "./list-options";


export interface VerificationQueueQuery {
  q: string;
  kind: VerificationKind | null;
  olderThanDays: number | null;
  page: PageRequest;
}

export function parseVerificationQueueQuery(params: URLSearchParams): VerificationQueueQuery {
  return {
    q: parseSearch(params.get("q")),
    kind: VERIFICATION_KINDS.find((k) => k === params.get("kind")) ?? null,
    olderThanDays: parseDays(params.get("older"), QUEUE_AGE_DAYS),
    page: parsePageRequest(params, ["string", "string"]),
  };
}

export interface QueueItem {
  kind: VerificationKind;
  id: number;
  trainerName: string;
  trainerEmail: string;
  summary: string;
  submittedAt: string;
}

/** Both kinds as one derived table with the same columns: only what the list shows. */
function waiting(db: DB, filter: { kind: VerificationKind | null; q: string; submittedBefore: string | null }) {
  const pattern = filter.q ? likePattern(filter.q) : null;
  const qualifications = db
    .selectFrom("qualification")
    .innerJoin("user", "user.id", "qualification.user_id")
    .select([
      sql<VerificationKind>`'qualification'`.as("kind"),
      "qualification.id as id",
      sql<string>`'qualification:' || ${sql.ref("qualification.id")}`.as("queue_key"),
      "qualification.created_at as submitted_at",
      "qualification.title as label",
      sql<string>`cast(${sql.ref("qualification.level")} as text)`.as("detail"),
      "user.name as trainer_name",
      "user.email as trainer_email",
    ])
    .where("qualification.status", "=", "submitted");
  const insurance = db
    .selectFrom("insurance_policy")
    .innerJoin("user", "user.id", "insurance_policy.user_id")
    .select([
      sql<VerificationKind>`'insurance'`.as("kind"),
      "insurance_policy.id as id",
      sql<string>`'insurance:' || ${sql.ref("insurance_policy.id")}`.as("queue_key"),
      "insurance_policy.created_at as submitted_at",
      "insurance_policy.insurer as label",
      "insurance_policy.end_date as detail",
      "user.name as trainer_name",
      "user.email as trainer_email",
    ])
    .where("insurance_policy.status", "=", "submitted");
  // Same conditions on both kinds; the builders differ only in their table.
  const narrow = <Q,>(q: AnySelect<Q>, table: "qualification" | "insurance_policy"): AnySelect<Q> => {
    let out = q;
    if (filter.submittedBefore) out = out.where(sql.ref(`${table}.created_at`), "<", filter.submittedBefore);
    if (pattern) out = out.where((eb) => eb.or([containsText("user.name", pattern), containsText("user.email", pattern)]));
    return out;
  };
  const q = narrow(qualifications, "qualification") as typeof qualifications;
  const i = narrow(insurance, "insurance_policy") as typeof insurance;
  const union = filter.kind === "qualification" ? q : filter.kind === "insurance" ? i : q.unionAll(i);
  return db.selectFrom(union.as("queue"));
}

export async function listVerificationPage(db: DB, query: VerificationQueueQuery, now: Date): Promise<Page<QueueItem>> {
  const submittedBefore = query.olderThanDays === null ? null : iso(new Date(now.getTime() - query.olderThanDays * 86_400_000));
  return keysetPage(
    {
      base: waiting(db, { kind: query.kind, q: query.q, submittedBefore }),
      select: (base) => (base as ReturnType<typeof waiting>).selectAll(),
      sort: { column: "queue.submitted_at", id: "queue.queue_key", direction: "asc", key: (r) => [r.submitted_at, r.queue_key] },
      request: query.page,
    },
    (r) => ({
      kind: r.kind,
      id: r.id,
      trainerName: r.trainer_name,
      trainerEmail: r.trainer_email,
      summary: r.kind === "qualification" ? `${r.label} (Level ${r.detail})` : `${r.label}, ends ${formatDate(r.detail)}`,
      submittedAt: r.submitted_at,
    }),
  );
}

/** The queue's size and its oldest item's date, for the dashboard: two index range reads. */
export async function verificationQueueSummary(db: DB): Promise<{ count: number; oldest: string | null }> {
  const [q, i] = await Promise.all(
    (["qualification", "insurance_policy"] as const).map((table) =>
      db
        .selectFrom(table)
        .select((eb) => [eb.fn.countAll<number>().as("count"), eb.fn.min("created_at").as("oldest")])
        .where("status", "=", "submitted")
        .executeTakeFirst(),
    ),
  );
  const oldest = [q?.oldest, i?.oldest].filter((d): d is string => typeof d === "string").sort()[0] ?? null;
  return { count: Number(q?.count ?? 0) + Number(i?.count ?? 0), oldest };
}
