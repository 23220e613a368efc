/**
 * Keyset pagination for staff lists (ADR 0014): what the URL says (which page, how many rows,
 * how sorted, what is searched) and the cursors that name a page by the row it starts after.
 * Pure: it never touches the database. Anything malformed in the URL falls back to the first
 * page with the default size, never an error.
 */

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** A row's position in a sorted list: its sort value, then its id (the tie-breaker). */
export type CursorValue = string | number;
export type Cursor = readonly [CursorValue, CursorValue];

export interface PageRequest {
  /** Rows after this one (the next page), or before it (the previous page); null: the first page. */
  cursor: { direction: "after" | "before"; key: Cursor } | null;
  limit: number;
}

export interface Page<T> {
  items: T[];
  /** Cursor for the next page (rows after the last shown), null on the last page. */
  next: string | null;
  /** Cursor for the previous page (rows before the first shown), null on the first page. */
  prev: string | null;
  /** All rows matching the filters, from count(*). */
  total: number;
  /** How many matching rows come before the first shown (for "51–100 of 1,234"). */
  offset: number;
}

export function encodeCursor(key: Cursor): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/**
 * Reads a cursor, checking each part has the type the sort expects ("string" or "number").
 * Anything else (garbage, tampering, an old cursor for another sort) gives null.
 */
export function decodeCursor(raw: string | null, types: readonly ["string" | "number", "string" | "number"]): Cursor | null {
  if (!raw || raw.length > 600 || !/^[A-Za-z0-9_-]+$/.test(raw)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null;
  const ok = parsed.every((value, i) => (types[i] === "number" ? Number.isSafeInteger(value) : typeof value === "string" && value.length <= 300));
  return ok ? ([parsed[0], parsed[1]] as Cursor) : null;
}

/** Rows per page from `?limit=`: a whole number from 1 to 100, otherwise the default 50. */
export function parseLimit(raw: string | null): number {
  if (raw === null || !/^\d{1,6}$/.test(raw)) return DEFAULT_PAGE_SIZE;
  const n = Number(raw);
  if (n < 1) return DEFAULT_PAGE_SIZE;
  return Math.min(n, MAX_PAGE_SIZE);
}

export function parsePageRequest(params: URLSearchParams, types: readonly ["string" | "number", "string" | "number"]): PageRequest {
  const limit = parseLimit(params.get("limit"));
  const after = decodeCursor(params.get("after"), types);
  if (after) return { cursor: { direction: "after", key: after }, limit };
  const before = decodeCursor(params.get("before"), types);
  if (before) return { cursor: { direction: "before", key: before }, limit };
  return { cursor: null, limit };
}

/** One of the allowed values, or the fallback. */
export function oneOf<T extends string>(raw: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.find((a) => a === raw) ?? fallback;
}

/** A search term: trimmed, at most 100 characters; empty means no search. */
export function parseSearch(raw: string | null): string {
  return (raw ?? "").trim().slice(0, 100);
}

/** A whole number of days from an allowed list, or null. */
export function parseDays(raw: string | null, allowed: readonly number[]): number | null {
  if (raw === null || !/^\d{1,4}$/.test(raw)) return null;
  const n = Number(raw);
  return allowed.includes(n) ? n : null;
}

/**
 * The link for another page: the current query string with the cursor replaced. Filters,
 * search and sort carry over, so a page's address can be shared and works without JavaScript.
 */
export function pageHref(search: string, change: { after?: string | null; before?: string | null }): string {
  const params = new URLSearchParams(search);
  params.delete("after");
  params.delete("before");
  if (change.after) params.set("after", change.after);
  if (change.before) params.set("before", change.before);
  const query = params.toString();
  return query ? `?${query}` : "?";
}

/** The query string with some parameters changed and the cursor dropped (a new filter or sort starts at page one). */
export function withParams(search: string, changes: Record<string, string | null>): string {
  const params = new URLSearchParams(search);
  params.delete("after");
  params.delete("before");
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === "") params.delete(key);
    else params.set(key, value);
  }
  const query = params.toString();
  return query ? `?${query}` : "?";
}

/** Escapes % and _ for a LIKE pattern matched with ESCAPE '\'. */
export function likePattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
