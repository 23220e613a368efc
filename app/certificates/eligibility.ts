/**
 * When a trainer is approved, as one pure function: given the trainer's facts, the policy and
 * the date, either eligible (with the certificate's expiry) or the list of what is missing, each
 * with its reason and where to fix it. Nothing here reads the database or the clock.
 */
import { entryRequirementsMet, type EntryRequirementFacts } from "~/evidence/facts.server";
import { addMonths, formatDate, londonDayOf } from "~/utils/dates";

export interface ModuleFact {
  slug: string;
  title: string;
  /** The pass of the module's summative assessment, if any. */
  passed: { at: string; version: string; label: string } | null;
}

export interface TrainerFacts {
  entry: EntryRequirementFacts;
  modules: ModuleFact[];
  reportTask: { passed: boolean; releasedAt: string | null; version: string | null };
  agreement: { currentVersion: string | null; acceptedVersion: string | null; acceptedAt: string | null };
}

export interface ChecklistItem {
  key: string;
  label: string;
  done: boolean;
  /** Why it is not done (or what satisfied it). */
  detail: string;
  href: string;
  /** What the link to it says while it is not done: "Start" until something was done before, then what to do again. */
  action: string;
}

export type ExpiryBasis = "validity period" | "insurance end date" | "DBS re-check date" | "annual refresher date";

export type Eligibility =
  | { eligible: true; checklist: ChecklistItem[]; expiresOn: string; expiryBasis: ExpiryBasis; validityEndsOn: string }
  | { eligible: false; checklist: ChecklistItem[]; unmet: ChecklistItem[] };

export function evaluateEligibility(facts: TrainerFacts, today: string): Eligibility {
  const entry = entryRequirementsMet(facts.entry, today);
  const reasonsAbout = (pattern: RegExp) => entry.reasons.filter((r) => pattern.test(r));
  const item = (key: string, label: string, problems: string[], okDetail: string, href: string, again: string | null = null): ChecklistItem => ({
    key,
    label,
    done: problems.length === 0,
    detail: problems.length === 0 ? okDetail : problems.join(" "),
    href,
    action: again ?? "Start",
  });

  const { qualification, insurance, dbs } = facts.entry;
  // A module pass is current for the validity period; after that the annual refresher is due.
  const validityMonths = facts.entry.policy.certificateValidityMonths;
  const oldestCurrent = addMonths(today, -validityMonths);
  const passCurrent = (m: ModuleFact) => m.passed !== null && londonDayOf(m.passed.at) > oldestCurrent;
  const checklist: ChecklistItem[] = [
    item(
      "qualification",
      "Personal training qualification (Level 3 or above), verified",
      reasonsAbout(/qualification/i),
      qualification ? `Verified: ${qualification.title}.`
        : // Stryker disable next-line StringLiteral: a done item always has its fact (no fact means a problem, and then the problems are the detail), so this "" is never shown.
          "",
      "/requirements",
      qualification ? "Update" : null,
    ),
    item(
      "insurance",
      "Insurance verified, in date and meeting the minimum cover",
      reasonsAbout(/insurance|cover/i),
      insurance ? `Verified, in force until ${insurance.endDate}.`
        : // Stryker disable next-line StringLiteral: a done item always has its fact (no fact means a problem, and then the problems are the detail), so this "" is never shown.
          "",
      "/requirements",
      insurance ? "Renew" : null,
    ),
    item(
      "dbs",
      "Enhanced DBS check recorded as suitable and not due for re-check",
      reasonsAbout(/DBS/),
      dbs?.recheckDueOn ? `Suitable; re-check due ${dbs.recheckDueOn}.`
        : // Stryker disable next-line StringLiteral: a done item always has its fact (no fact means a problem, and then the problems are the detail), so this "" is never shown.
          "",
      "/requirements",
      dbs ? "Update" : null,
    ),
    ...facts.modules.map((m) =>
      item(
        `module:${m.slug}`,
        `Module assessment passed: ${m.title}`,
        passCurrent(m) ? [] : m.passed ? [`Passed ${formatDate(m.passed.at)}: the annual refresher is due; retake the end-of-module assessment.`] : ["The end-of-module assessment has not been passed yet."],
        m.passed ? `Passed ${formatDate(m.passed.at)} (version ${m.passed.label}).`
          : // Stryker disable next-line StringLiteral: a module without a pass is never done, so this "" is never shown (its problem is).
            "",
        `/modules/${m.slug}`,
        m.passed ? "Retake the assessment" : null,
      ),
    ),
    item(
      "report",
      "Report-writing task passed",
      facts.reportTask.passed ? [] : ["The report-writing task has not been passed yet."],
      facts.reportTask.releasedAt ? `Passed ${formatDate(facts.reportTask.releasedAt)}.` : "",
      "/report-task",
    ),
    item(
      "agreement",
      "Current scope of practice and communication agreement accepted",
      facts.agreement.currentVersion === null
        ? ["The agreement is not available."]
        : facts.agreement.acceptedVersion === facts.agreement.currentVersion
          ? []
          : [facts.agreement.acceptedVersion ? "A new version of the agreement has been published; read and accept it." : "You have not accepted the agreement yet."],
      facts.agreement.acceptedAt ? `Accepted ${formatDate(facts.agreement.acceptedAt)}.`
        : // Stryker disable next-line StringLiteral: the agreement is done only when an accepted version is recorded, and it is recorded with its date, so this "" is never shown.
          "",
      "/agreement",
      facts.agreement.acceptedVersion ? "Read and accept" : null,
    ),
  ];

  const unmet = checklist.filter((c) => !c.done);
  // The insurance and DBS checks only narrow the types: with nothing unmet, both are present (an unmet item returns first).
  // Stryker disable next-line OptionalChaining: equivalent, as above: dbs is never null when nothing is unmet.
  if (unmet.length > 0 || !insurance || !dbs?.recheckDueOn) return { eligible: false, checklist, unmet };

  const validityEndsOn = addMonths(today, validityMonths);
  const oldestPass = facts.modules.map((m) => londonDayOf(m.passed!.at)).sort()[0]!;
  const candidates: [string, ExpiryBasis][] = [
    [validityEndsOn, "validity period"],
    [insurance.endDate, "insurance end date"],
    [dbs.recheckDueOn, "DBS re-check date"],
    [addMonths(oldestPass, validityMonths), "annual refresher date"],
  ];
  const [expiresOn, expiryBasis] = candidates.reduce((earliest, candidate) => (candidate[0] < earliest[0] ? candidate : earliest));
  return { eligible: true, checklist, expiresOn, expiryBasis, validityEndsOn };
}
