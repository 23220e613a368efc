/**
 * The marking queues, one page at a time (issue 19, ADR 0014): waiting to be marked, waiting for
 * moderation, disagreements for an admin. Only open submissions are read, through the partial
 * index report_submission_open, and never their text or task: the page shows who, when and
 * where it stands. Names come from joins in the same query.
 */

import type { DB } from "~db/connection";
import type { Role, SubmissionStatus } from "~db/schema";
import { iso } from "~/utils/clock";
import { containsText, keysetPage } from "~/utils/keyset";
import { likePattern, oneOf, parseDays, parsePageRequest, parseSearch, type Page, type PageRequest } from "~/utils/pagination";
import { formatWaiting } from "./rules";
import { getMarkingSettings } from "./settings.server";
import { STAFF_STATUS_LABELS } from "./marking.server";
import { MARKING_AGE_DAYS, MARKING_QUEUES, QUEUE_STATUSES, type MarkingQueueName } from "./queues";

export interface MarkingQueueQuery {
  queue: MarkingQueueName;
  q: string;
  olderThanDays: number | null;
  page: PageRequest;
}

export function parseMarkingQueueQuery(params: URLSearchParams): MarkingQueueQuery {
  return {
    queue: oneOf(params.get("queue"), MARKING_QUEUES, "mark"),
    q: parseSearch(params.get("q")),
    olderThanDays: parseDays(params.get("older"), MARKING_AGE_DAYS),
    page: parsePageRequest(params, ["string", "number"]),
  };
}

export interface QueueItem {
  id: number;
  candidate: string;
  version: number;
  submittedAt: string;
  waiting: string;
  status: SubmissionStatus;
  statusLabel: string;
  holder: string | null;
  /** The viewer wrote it, or (for moderation) marked it: someone else must act. */
  ownWork: boolean;
}

/** Each queue's size and oldest wait, from one grouped read of the open submissions. */
export async function markingQueueSummary(db: DB): Promise<Record<MarkingQueueName, { count: number; oldest: string | null }>> {
  const rows = await db
    .selectFrom("report_submission")
    .select((eb) => ["status", eb.fn.countAll<number>().as("count"), eb.fn.min("submitted_at").as("oldest_submitted"), eb.fn.min("marked_at").as("oldest_marked")])
    .where("status", "<>", "released")
    .groupBy("status")
    .execute();
  const summary = Object.fromEntries(MARKING_QUEUES.map((q) => [q, { count: 0, oldest: null as string | null }])) as Record<MarkingQueueName, { count: number; oldest: string | null }>;
  for (const row of rows) {
    const queue = MARKING_QUEUES.find((q) => QUEUE_STATUSES[q].includes(row.status));
    if (!queue) continue;
    const since = queue === "mark" ? row.oldest_submitted : (row.oldest_marked ?? row.oldest_submitted);
    summary[queue].count += Number(row.count);
    if (since && (!summary[queue].oldest || since < summary[queue].oldest!)) summary[queue].oldest = since;
  }
  return summary;
}

function filtered(db: DB, query: MarkingQueueQuery, blind: boolean, now: Date) {
  let base = db
    .selectFrom("report_submission")
    .innerJoin("user as trainer", "trainer.id", "report_submission.user_id")
    .leftJoin("user as marker", "marker.id", "report_submission.marker_id")
    .leftJoin("user as moderator", "moderator.id", "report_submission.moderator_id")
    // Both conditions: the first picks the partial index of open work, the second the queue.
    .where("report_submission.status", "<>", "released")
    .where("report_submission.status", "in", QUEUE_STATUSES[query.queue]);
  if (query.olderThanDays !== null) {
    const before = iso(new Date(now.getTime() - query.olderThanDays * 86_400_000));
    base = base.where(query.queue === "mark" ? "report_submission.submitted_at" : "report_submission.marked_at", "<", before);
  }
  if (query.q) {
    // With blind marking on, only the candidate number can be searched: a name would unblind.
    const pattern = likePattern(query.q);
    base = base.where((eb) =>
      blind ? containsText("report_submission.candidate_number", pattern) : eb.or([containsText("trainer.name", pattern), containsText("report_submission.candidate_number", pattern)]),
    );
  }
  return base;
}

export async function listMarkingPage(db: DB, viewer: { id: number; role: Role }, query: MarkingQueueQuery, now: Date): Promise<{ blindMarking: boolean; page: Page<QueueItem> }> {
  const settings = await getMarkingSettings(db);
  const page = await keysetPage(
    {
      base: filtered(db, query, settings.blindMarking, now),
      select: (base) =>
        (base as ReturnType<typeof filtered>).select([
          "report_submission.id",
          "report_submission.user_id",
          "report_submission.version",
          "report_submission.candidate_number",
          "report_submission.submitted_at",
          "report_submission.marked_at",
          "report_submission.status",
          "report_submission.marker_id",
          "report_submission.moderator_id",
          "trainer.name as trainer_name",
          "marker.name as marker_name",
          "moderator.name as moderator_name",
        ]),
      sort: { column: "report_submission.submitted_at", id: "report_submission.id", direction: "asc", key: (r) => [r.submitted_at, r.id] },
      request: query.page,
    },
    (r): QueueItem => {
      const since = r.status === "submitted" || r.status === "in_marking" ? r.submitted_at : (r.marked_at ?? r.submitted_at);
      const holder = r.status === "in_marking" ? r.marker_name : r.status === "in_moderation" ? r.moderator_name : null;
      return {
        id: r.id,
        candidate: settings.blindMarking ? `Candidate ${r.candidate_number}` : r.trainer_name,
        version: r.version,
        submittedAt: r.submitted_at,
        waiting: formatWaiting(new Date(since), now),
        status: r.status,
        statusLabel: STAFF_STATUS_LABELS[r.status],
        holder: holder ?? null,
        ownWork: r.user_id === viewer.id || ((r.status === "marked" || r.status === "in_moderation") && r.marker_id === viewer.id),
      };
    },
  );
  return { blindMarking: settings.blindMarking, page };
}

