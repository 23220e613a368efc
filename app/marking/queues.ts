/** The marking queues, shared by server and browser code (route components cannot use values from *.server modules). */
import type { SubmissionStatus } from "~db/schema";

export const MARKING_QUEUES = ["mark", "moderate", "disputed"] as const;
export type MarkingQueueName = (typeof MARKING_QUEUES)[number];
export const QUEUE_STATUSES: Record<MarkingQueueName, SubmissionStatus[]> = {
  mark: ["submitted", "in_marking"],
  moderate: ["marked", "in_moderation"],
  disputed: ["disputed"],
};
export const MARKING_QUEUE_LABELS: Record<MarkingQueueName, string> = {
  mark: "Waiting to be marked",
  moderate: "Waiting for moderation",
  disputed: "Disagreements for an admin",
};
/** "Waiting more than N days" choices. */
export const MARKING_AGE_DAYS = [3, 7, 14] as const;
