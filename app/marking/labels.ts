import type { ReportOutcome, SubmissionStatus } from "~db/schema";

/** What a trainer may know about where their submission is: never who marks it or how. */
export type TrainerStatus = "submitted" | "in-marking" | "referred" | "passed";

export function trainerStatus(status: SubmissionStatus, outcome: ReportOutcome | null): TrainerStatus {
  if (status === "released") return outcome === "pass" ? "passed" : "referred";
  return status === "submitted" ? "submitted" : "in-marking";
}

export const TRAINER_STATUS_LABELS: Record<TrainerStatus, string> = {
  submitted: "Submitted: waiting for an assessor",
  "in-marking": "Being marked",
  referred: "Referred: see the feedback",
  passed: "Passed",
};
