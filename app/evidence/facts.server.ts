import type { DB } from "~db/connection";
import type { DbsDecision, LimitBasis } from "~db/schema";
import type { EntryPolicy } from "~/policy/policy";
import { getPolicy } from "~/policy/policy.server";
import { currentVerifiedPolicy, isAcceptedPersonalTrainingQualification } from "./status";

/**
 * The verified facts about a trainer's entry requirements, for the eligibility rules that issue
 * certificates. Only verified or decided records count; nothing here is a DBS certificate detail.
 */
export interface EntryRequirementFacts {
  qualification: { id: number; title: string; level: number; verifiedAt: string } | null;
  insurance: {
    id: number;
    startDate: string;
    endDate: string;
    publicLiabilityPence: number;
    professionalIndemnityPence: number;
    limitBasis: LimitBasis;
    verifiedAt: string;
  } | null;
  /** The latest DBS record's decision (null when no decision yet). */
  dbs: { id: number; decision: DbsDecision | null; decidedAt: string | null; recheckDueOn: string | null } | null;
  policy: EntryPolicy;
}

export async function getEntryRequirementFacts(db: DB, userId: number): Promise<EntryRequirementFacts> {
  const policy = await getPolicy(db);
  const qualifications = await db
    .selectFrom("qualification")
    .select(["id", "kind", "level", "title", "decided_at"])
    .where("user_id", "=", userId)
    .where("status", "=", "verified")
    .orderBy("decided_at", "asc")
    .execute();
  const qualification = qualifications.find(isAcceptedPersonalTrainingQualification);
  const policies = await db
    .selectFrom("insurance_policy")
    .select(["id", "status", "start_date", "end_date", "public_liability_pence", "professional_indemnity_pence", "limit_basis", "decided_at", "rejection_reason", "expired_at"])
    .where("user_id", "=", userId)
    .where("status", "=", "verified")
    .execute();
  const insurance = currentVerifiedPolicy(policies);
  const dbs = await db
    .selectFrom("dbs_check")
    .select(["id", "decision", "decided_at", "recheck_due_on"])
    .where("user_id", "=", userId)
    .orderBy("id", "desc")
    .executeTakeFirst();
  return {
    qualification: qualification ? { id: qualification.id, title: qualification.title, level: qualification.level, verifiedAt: qualification.decided_at ?? "" } : null,
    insurance: insurance
      ? {
          id: insurance.id,
          startDate: insurance.start_date,
          endDate: insurance.end_date,
          publicLiabilityPence: insurance.public_liability_pence,
          professionalIndemnityPence: insurance.professional_indemnity_pence,
          limitBasis: insurance.limit_basis,
          verifiedAt: insurance.decided_at ?? "",
        }
      : null,
    dbs: dbs ? { id: dbs.id, decision: dbs.decision, decidedAt: dbs.decided_at, recheckDueOn: dbs.recheck_due_on } : null,
    policy,
  };
}

/**
 * Whether the entry requirements hold on `today` (YYYY-MM-DD), with the reasons when they do
 * not. Pure: the certificate rules can call it with any date.
 */
export function entryRequirementsMet(facts: EntryRequirementFacts, today: string): { met: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (!facts.qualification) reasons.push("No verified personal training qualification at Level 3 or above.");
  if (!facts.insurance) reasons.push("No verified insurance.");
  else {
    if (facts.insurance.startDate > today) reasons.push("The verified insurance has not started yet.");
    if (facts.insurance.endDate < today) reasons.push("The verified insurance has ended.");
    if (facts.insurance.publicLiabilityPence < facts.policy.minPublicLiabilityPence) reasons.push("Public liability cover is below the minimum.");
    if (facts.insurance.professionalIndemnityPence < facts.policy.minProfessionalIndemnityPence) reasons.push("Professional indemnity cover is below the minimum.");
  }
  if (!facts.dbs || facts.dbs.decision !== "suitable") reasons.push("No Enhanced DBS check recorded as suitable.");
  else if (!facts.dbs.recheckDueOn || facts.dbs.recheckDueOn <= today) reasons.push("The DBS re-check is due.");
  return { met: reasons.length === 0, reasons };
}
