import type { DB } from "~db/connection";
import { iso } from "~/utils/clock";
import { addDays, dateOf } from "~/utils/dates";

/**
 * A seeded trainer renews their insurance: a second verified policy, from `from` for a year,
 * with the same evidence file (what an assessor's acceptance of the renewal leaves behind).
 */
export async function addRenewedInsurance(db: DB, userId: number, staffId: number, from: Date): Promise<void> {
  const evidence = await db.selectFrom("insurance_policy").select("evidence_file_id").where("user_id", "=", userId).executeTakeFirstOrThrow();
  await db
    .insertInto("insurance_policy")
    .values({ user_id: userId, insurer: "Renewed Ltd", policy_number: "R-2", public_liability_pence: 600_000_000, professional_indemnity_pence: 200_000_000, limit_basis: "aggregate", covered_activities: "PT", territory: "UK", start_date: dateOf(from), end_date: addDays(dateOf(from), 365), evidence_file_id: evidence.evidence_file_id, status: "verified", decided_by_user_id: staffId, decided_at: iso(from), rejection_reason: null, expired_at: null, created_at: iso(from) })
    .execute();
}
