/**
 * The admin users list: searched, filtered and paged in SQL (issue 19, ADR 0014). Three queries
 * a page whatever the number of accounts; never reads password hashes.
 */
import type { DB } from "~db/connection";
import { ROLES, type Role } from "~db/schema";
import { containsText, keysetPage, type KeysetSort } from "~/utils/keyset";
import { likePattern, oneOf, parsePageRequest, parseSearch, type Page, type PageRequest } from "~/utils/pagination";

export const USER_SORTS = ["newest", "name"] as const;
export const ACCOUNT_STATUSES = ["active", "disabled"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export interface UserListQuery {
  q: string;
  role: Role | null;
  status: AccountStatus | null;
  sort: (typeof USER_SORTS)[number];
  page: PageRequest;
}

export function parseUserListQuery(params: URLSearchParams): UserListQuery {
  const sort = oneOf(params.get("sort"), USER_SORTS, "newest");
  return {
    q: parseSearch(params.get("q")),
    role: ROLES.find((r) => r === params.get("role")) ?? null,
    status: ACCOUNT_STATUSES.find((s) => s === params.get("status")) ?? null,
    sort,
    page: parsePageRequest(params, sort === "name" ? ["string", "number"] : ["number", "number"]),
  };
}

export interface UserListItem {
  id: number;
  name: string;
  email: string;
  role: Role;
  disabledAt: string | null;
  createdAt: string;
}

/** Accounts matching a search (name or email) and filters; shared by the users and trainers lists. */
export function filteredUsers(db: DB, filter: { q: string; role: Role | null; status: AccountStatus | null }) {
  let base = db.selectFrom("user");
  if (filter.role) base = base.where("user.role", "=", filter.role);
  if (filter.status === "active") base = base.where("user.disabled_at", "is", null);
  if (filter.status === "disabled") base = base.where("user.disabled_at", "is not", null);
  if (filter.q) {
    const pattern = likePattern(filter.q);
    base = base.where((eb) => eb.or([containsText("user.name", pattern), containsText("user.email", pattern)]));
  }
  return base;
}

type Row = { id: number; name: string; email: string; role: Role; disabled_at: string | null; created_at: string };

export function userSort(sort: "newest" | "name"): KeysetSort<Row> {
  return sort === "name"
    ? { column: "user.name", id: "user.id", direction: "asc", key: (r) => [r.name, r.id] }
    : { column: "user.id", id: "user.id", direction: "desc", key: (r) => [r.id, r.id] };
}

export async function listUserPage(db: DB, query: UserListQuery): Promise<Page<UserListItem>> {
  return keysetPage(
    {
      base: filteredUsers(db, query),
      select: (base) => (base as ReturnType<typeof filteredUsers>).select(["user.id", "user.name", "user.email", "user.role", "user.disabled_at", "user.created_at"]),
      sort: userSort(query.sort),
      request: query.page,
    },
    (r) => ({ id: r.id, name: r.name, email: r.email, role: r.role, disabledAt: r.disabled_at, createdAt: r.created_at }),
  );
}
