import type { Trx } from "~db/connection";

/**
 * What another part of the product does, inside a domain command's transaction, when a fact about
 * a trainer changes that can complete their requirements (evidence verified, DBS decided or renewed,
 * a module passed, the agreement accepted, a report pass released). The domain does not know what
 * that is; `app/approval/` passes the reaction in (ADR 0018). It runs before commit, so a failure
 * undoes the fact too and the person can try again: nothing is left half done.
 */
export type OnRequirementMet = (trx: Trx, trainerId: number) => Promise<void>;
