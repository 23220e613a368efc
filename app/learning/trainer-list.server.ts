/**
 * Trainers' progress for staff: one page of trainers (searched and paged in SQL), then the
 * attempts and unlocks of just those trainers in one query each, judged by the same pure retake
 * rule the trainer meets (issue 19, ADR 0014). A constant number of queries whatever the size.
 */
import type { DB } from "~db/connection";
import { filteredUsers, userSort, ACCOUNT_STATUSES, type AccountStatus } from "~/auth/user-list.server";
import { getRetakePolicy } from "~/assessment/attempts.server";
import { retakeDecision, type RetakePolicy } from "~/assessment/rules";
import { listModules } from "~/content/catalog.server";
import { keysetPage } from "~/utils/keyset";
import { parsePageRequest, parseSearch, type Page, type PageRequest } from "~/utils/pagination";

export interface TrainerListQuery {
  q: string;
  status: AccountStatus | null;
  page: PageRequest;
}

export function parseTrainerListQuery(params: URLSearchParams): TrainerListQuery {
  return {
    q: parseSearch(params.get("q")),
    status: ACCOUNT_STATUSES.find((s) => s === params.get("status")) ?? null,
    page: parsePageRequest(params, ["string", "number"]),
  };
}

export interface TrainerSummary {
  id: number;
  name: string;
  email: string;
  disabled: boolean;
  modulesPassed: number;
  lockedModules: string[];
}

type Attempt = { user_id: number; module_slug: string; submitted_at: string | null; passed: number | null };
type Unlock = { user_id: number; module_slug: string; unlocked_at: string };

/** Modules passed and modules locked (waiting for an assessor), for one trainer, from their rows. */
export function summariseProgress(attempts: Attempt[], unlocks: Unlock[], policy: RetakePolicy, now: Date): { modulesPassed: number; lockedModules: string[] } {
  const passed = new Set(attempts.filter((a) => a.passed === 1).map((a) => a.module_slug));
  const lockedModules: string[] = [];
  for (const slug of new Set(attempts.filter((a) => a.passed === 0).map((a) => a.module_slug))) {
    if (passed.has(slug)) continue;
    const history = attempts.filter((a) => a.module_slug === slug && a.submitted_at !== null).map((a) => ({ submittedAt: new Date(a.submitted_at!), passed: a.passed === 1 }));
    const unlocked = unlocks.filter((u) => u.module_slug === slug).map((u) => new Date(u.unlocked_at));
    const decision = retakeDecision(history, unlocked, policy, now);
    if (!decision.canStart && decision.reason === "locked") lockedModules.push(slug);
  }
  return { modulesPassed: passed.size, lockedModules };
}

export async function listTrainerPage(db: DB, query: TrainerListQuery, now: Date): Promise<Page<TrainerSummary> & { moduleCount: number }> {
  const page = await keysetPage(
    {
      base: filteredUsers(db, { q: query.q, role: "trainer", status: query.status }),
      select: (base) => (base as ReturnType<typeof filteredUsers>).select(["user.id", "user.name", "user.email", "user.role", "user.disabled_at", "user.created_at"]),
      sort: userSort("name"),
      request: query.page,
    },
    (r) => r,
  );
  const ids = page.items.map((t) => t.id);
  const [attempts, unlocks, policy] = await Promise.all([
    ids.length === 0
      ? Promise.resolve([])
      : db.selectFrom("assessment_attempt").select(["user_id", "module_slug", "submitted_at", "passed"]).where("user_id", "in", ids).where("submitted_at", "is not", null).execute(),
    ids.length === 0 ? Promise.resolve([]) : db.selectFrom("assessment_unlock").select(["user_id", "module_slug", "unlocked_at"]).where("user_id", "in", ids).execute(),
    getRetakePolicy(db),
  ]);
  const items = page.items.map((t) => ({
    id: t.id,
    name: t.name,
    email: t.email,
    disabled: t.disabled_at !== null,
    ...summariseProgress(
      attempts.filter((a) => a.user_id === t.id),
      unlocks.filter((u) => u.user_id === t.id),
      policy,
      now,
    ),
  }));
  return { ...page, items, moduleCount: listModules().length };
}
