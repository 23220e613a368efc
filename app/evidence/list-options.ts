/** Filter options of the staff evidence lists, shared by server and browser code (route components cannot use values from *.server modules). */
import type { DbsDecision } from "~db/schema";

/** "Waiting more than N days" choices for the verification queue. */
export const QUEUE_AGE_DAYS = [3, 7, 14, 30] as const;

export const DBS_FILTERS = ["awaiting", "needs_review", "suitable", "not_suitable", "all"] as const satisfies readonly (DbsDecision | "awaiting" | "all")[];
export type DbsFilter = (typeof DBS_FILTERS)[number];
export const DBS_FILTER_LABELS: Record<DbsFilter, string> = {
  awaiting: "Awaiting a decision",
  needs_review: "Needs review",
  suitable: "Suitable",
  not_suitable: "Not suitable",
  all: "All records",
};
