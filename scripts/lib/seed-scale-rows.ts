/**
 * The rows of one seeded trainer for `growAcademy` (seed-scale.ts): a deterministic mix of
 * certified, in-progress and new trainers with the records the real flows leave behind. Pure:
 * returns rows; the caller inserts them in batches. Sizes are realistic (the real question
 * snapshots, a report of several hundred words, the real task and rubric), except certificate
 * PDFs and credentials, which share one real rendered document (see seed-scale.ts).
 */
import type { Insertable } from "kysely";
import type { Database } from "~db/schema";
import { addDays, addMonths, dateOf } from "~/utils/dates";
import type { AnswerKey, ReportTaskDefinition } from "~/content/types";

export interface ModuleFacts {
  slug: string;
  versionId: number;
  sectionIds: string[];
  bank: AnswerKey[];
  passMark: number;
}

export interface SeedContext {
  now: Date;
  staffIds: number[];
  modules: ModuleFacts[];
  reportVersionId: number;
  task: ReportTaskDefinition;
  reportBody: string;
  agreementVersion: string;
  passwordHash: string;
  pdf: Buffer | null;
  /** A real signed credential every seeded certificate's credential row shares, or null for none. */
  credential: string | null;
  /** The status list seeded credentials take their indexes from, and how many it holds. */
  statusList: { id: number; issuerKeyId: number; used: number } | null;
}

/** Small deterministic generator (mulberry32), so a run at N trainers always seeds the same rows. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ["Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Zoë", "Leo", "Grace", "Oscar", "Freya", "Harry", "Siân", "Rhys", "Aoife", "Ciarán", "Priya", "Tomasz"];
const LAST = ["Hughes", "Patel", "Evans", "O'Brien", "Kowalski", "Jones", "Davies", "Khan", "Murphy", "Williams", "Taylor", "Brown", "Wilson", "Thomas", "Roberts", "Ó Briain", "Nowak", "Singh", "Clarke", "Walker"];

export type Profile = "certified" | "progress" | "new";

export interface TrainerPlan {
  index: number;
  profile: Profile;
  user: Insertable<Database["user"]>;
  rng: () => number;
}

export function planTrainer(index: number, ctx: SeedContext): TrainerPlan {
  const rng = random(index * 7919 + 17);
  const p = rng();
  const profile: Profile = p < 0.7 ? "certified" : p < 0.88 ? "progress" : "new";
  const created = new Date(ctx.now.getTime() - Math.floor(30 + rng() * 900) * 86_400_000).toISOString();
  const name = `${FIRST[Math.floor(rng() * FIRST.length)]} ${LAST[Math.floor(rng() * LAST.length)]} ${index}`;
  return {
    index,
    profile,
    rng,
    user: { email: `trainer${index}@scale.academy.invalid`, name, role: "trainer", password_hash: ctx.passwordHash, disabled_at: rng() < 0.01 ? created : null, email_confirmed_at: created, created_at: created, updated_at: created },
  };
}

const at = (now: Date, daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString();
const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

/** Evidence files, qualification, insurance and DBS rows for one trainer. */
export function entryRows(plan: TrainerPlan, userId: number, ctx: SeedContext) {
  const { rng, profile, index } = plan;
  const today = dateOf(ctx.now);
  const staff = pick(rng, ctx.staffIds);
  const files: Insertable<Database["evidence_file"]>[] = ["q", "i"].map((k) => ({
    id: `seed-${index}-${k}`,
    owner_user_id: userId,
    storage_name: `seed-${index}-${k}.pdf`,
    media_type: "application/pdf",
    size_bytes: 180_000 + Math.floor(rng() * 400_000),
    sha256: "0".repeat(64),
    display_name: k === "q" ? "certificate.pdf" : "policy-schedule.pdf",
    created_at: at(ctx.now, 400),
  }));
  const decided = profile === "certified" || rng() < 0.6;
  const waiting = !decided && rng() < 0.7;
  const status = decided ? "verified" : waiting ? "submitted" : "rejected";
  const qualification: Insertable<Database["qualification"]> = {
    user_id: userId, kind: "personal_training", level: 3 + Math.floor(rng() * 2), awarding_organisation: "Active IQ", title: "Level 3 Diploma in Personal Training",
    qualification_number: "603/2791/3", certificate_number: `AIQ-${index}`, issue_date: addDays(today, -400 - Math.floor(rng() * 2000)), evidence_file_id: files[0]!.id as string,
    cpd_evidence_file_id: null, status, decided_by_user_id: status === "submitted" ? null : staff, decided_at: status === "submitted" ? null : at(ctx.now, 300),
    rejection_reason: status === "rejected" ? "The certificate shown is a unit certificate, not the full qualification." : null, created_at: at(ctx.now, 10 + Math.floor(rng() * 400)),
  };
  // A certified trainer's cover mostly runs on; about one in ten has lapsed and the hourly job has not run yet.
  const lapsed = profile === "certified" && rng() < 0.1;
  const end = lapsed ? addDays(today, -1 - Math.floor(rng() * 20)) : addDays(today, 1 + Math.floor(rng() * 360));
  const insurance: Insertable<Database["insurance_policy"]> = {
    user_id: userId, insurer: pick(rng, ["Hiscox", "Insure4Sport", "Balens", "Markel"]), policy_number: `PL-${index}`, public_liability_pence: 500_000_000, professional_indemnity_pence: 150_000_000,
    limit_basis: "per_occurrence", covered_activities: "Personal training, exercise rehabilitation within scope", territory: "United Kingdom", start_date: addDays(end, -365), end_date: end,
    evidence_file_id: files[1]!.id as string, status, decided_by_user_id: status === "submitted" ? null : staff, decided_at: status === "submitted" ? null : at(ctx.now, 200),
    rejection_reason: status === "rejected" ? "The schedule is for a different policy number." : null, expired_at: null, created_at: at(ctx.now, 5 + Math.floor(rng() * 300)),
  };
  const dbsDecided = profile === "certified" || rng() < 0.5;
  const decidedDaysAgo = 20 + Math.floor(rng() * 700);
  const dbs: Insertable<Database["dbs_check"]> = {
    user_id: userId, certificate_number: String(100000000000 + index), issue_date: addDays(today, -decidedDaysAgo - 10), adults_barred_list: 1, children_barred_list: rng() < 0.3 ? 1 : 0,
    workforce: pick(rng, ["adult", "both"] as const), update_service_subscribed: 1, status_check_consent: 1, will_show_original: 1,
    decision: dbsDecided ? "suitable" : rng() < 0.15 ? "needs_review" : null, decided_by_user_id: dbsDecided ? staff : null, decided_at: dbsDecided ? at(ctx.now, decidedDaysAgo) : null,
    original_seen_on: dbsDecided ? addDays(today, -decidedDaysAgo) : null, original_seen_by_user_id: dbsDecided ? staff : null,
    recheck_due_on: dbsDecided ? addDays(today, rng() < 0.05 ? -Math.floor(rng() * 20) : 40 + Math.floor(rng() * 600)) : null,
    recheck_flagged_at: null, details_erased_at: null, created_at: at(ctx.now, decidedDaysAgo + 5),
  };
  return { files, qualification, insurance, dbs, insuranceEnd: end, recheck: dbs.recheck_due_on ?? null };
}

/** Section progress, attempts and their question snapshots. */
export function learningRows(plan: TrainerPlan, userId: number, ctx: SeedContext) {
  const { rng, profile, index } = plan;
  const sections: Insertable<Database["section_progress"]>[] = [];
  const attempts: Insertable<Database["assessment_attempt"]>[] = [];
  const questions: Insertable<Database["attempt_question"]>[] = [];
  const modulesDone = profile === "certified" ? ctx.modules.length : profile === "progress" ? Math.floor(rng() * ctx.modules.length) : 0;
  ctx.modules.forEach((m, mi) => {
    const read = mi < modulesDone ? m.sectionIds.length : profile === "progress" && mi === modulesDone ? Math.floor(rng() * m.sectionIds.length) : 0;
    for (const sectionId of m.sectionIds.slice(0, read)) sections.push({ user_id: userId, module_slug: m.slug, section_id: sectionId, module_version_id: m.versionId, completed_at: at(ctx.now, 200) });
    const outcomes: boolean[] = mi < modulesDone ? (rng() < 0.25 ? [false, true] : [true]) : profile === "progress" && mi === modulesDone && read > 0 ? (rng() < 0.3 ? [false, false, false] : [false]) : [];
    outcomes.forEach((passed, ai) => {
      const id = `seed${index}m${mi}a${ai}`;
      const when = at(ctx.now, 190 - ai * 3);
      attempts.push({ id, user_id: userId, module_slug: m.slug, module_version_id: m.versionId, pass_mark: m.passMark, started_at: when, submitted_at: when, score: passed ? 11 : 7, total: 12, percent: passed ? 91 : 58, passed: passed ? 1 : 0 });
      for (let position = 1; position <= 12; position += 1) {
        const q = m.bank[(index + position * 7 + ai) % m.bank.length]!;
        const options = q.options.map((o) => o.id);
        questions.push({ attempt_id: id, position, question_id: q.id, question_json: JSON.stringify(q), option_order: JSON.stringify(options), answer: JSON.stringify(options.slice(0, 1)), answered_at: when, correct: position <= (passed ? 11 : 7) ? 1 : 0 });
      }
    });
  });
  return { sections, attempts, questions };
}

export function certificateDates(ctx: SeedContext, rng: () => number, insuranceEnd: string, recheck: string | null) {
  const issuedDaysAgo = Math.floor(rng() * 360);
  const issuedAt = at(ctx.now, issuedDaysAgo);
  const validity = addMonths(dateOf(new Date(issuedAt)), 12);
  const candidates = [validity, insuranceEnd, ...(recheck ? [recheck] : [])].sort();
  return { issuedAt, validity, expiresOn: candidates[0]! };
}
