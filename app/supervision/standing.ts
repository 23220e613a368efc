/**
 * A trainer's standing on supervision (issue 12 item 1, ADR 0026). Pure; read by the live
 * certificate status (app/certificates/status.ts), the dashboards and the reminders.
 *
 * A session is due on `nextDueOn` (set when a supervisor is assigned, then by each session). Policy
 * gives a grace period: the supervision is "due" from `nextDueOn` through `nextDueOn + graceDays`
 * and "overdue" from the day after (`overdueFrom`). Days are UK calendar days (`ukToday`).
 */
import { addDays } from "~/utils/dates";

export interface SupervisionStanding {
  /** When the next session is due; null when the trainer has no supervisor. */
  nextDueOn: string | null;
  graceDays: number;
  /** The policy switch (default off): overdue supervision suspends the certificate. */
  suspendsWhenOverdue: boolean;
}

export type SupervisionState = "unassigned" | "scheduled" | "due" | "overdue";

/** The first day the supervision counts as overdue: the day after the grace period ends. */
export function overdueFrom(nextDueOn: string, graceDays: number): string {
  return addDays(nextDueOn, graceDays + 1);
}

export function supervisionState(nextDueOn: string | null, graceDays: number, today: string): SupervisionState {
  if (nextDueOn === null) return "unassigned";
  if (today >= overdueFrom(nextDueOn, graceDays)) return "overdue";
  if (today >= nextDueOn) return "due";
  return "scheduled";
}

/** With the policy switch on, overdue supervision suspends the certificate ("supervision overdue"). */
export function supervisionSuspends(standing: SupervisionStanding, today: string): boolean {
  return standing.suspendsWhenOverdue && supervisionState(standing.nextDueOn, standing.graceDays, today) === "overdue";
}
