/**
 * Keyset pagination with Kysely (ADR 0014). A page is "the next N rows after this (sort value,
 * id)", so it costs the same on page 1 and page 1,000, and rows inserted meanwhile never shift
 * a page the way OFFSET does. Portable SQL only (works on SQLite and PostgreSQL).
 */
import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from "kysely";
import { encodeCursor, type Cursor, type CursorValue, type Page, type PageRequest } from "./pagination";

export interface KeysetSort<Row> {
  /** The sort column (a reference such as "certificate.expires_on", or an expression) and the tie-breaking unique column. */
  column: string | Expression<unknown>;
  id: string;
  direction: "asc" | "desc";
  /** The same two values read from a result row. */
  key: (row: Row) => Cursor;
}

// Kysely's builders are generic in the tables joined; these helpers only ever add conditions
// on named columns and an order, so they take any select builder.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEb = ExpressionBuilder<any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySelect<Row> = SelectQueryBuilder<any, any, Row>;

/** Rows strictly after (or before) the cursor in the given order. */
export function beyond(eb: AnyEb, sort: { column: string | Expression<unknown>; id: string }, key: Cursor, comparison: ">" | "<"): Expression<SqlBool> {
  const column = sortExpression(sort.column);
  const id = sql.ref(sort.id);
  return eb.or([eb(column, comparison, key[0]), eb.and([eb(column, "=", key[0]), eb(id, comparison, key[1])])]);
}

const sortExpression = (column: string | Expression<unknown>): Expression<unknown> => (typeof column === "string" ? sql.ref(column) : column);

const flip = (d: "asc" | "desc") => (d === "asc" ? "desc" : "asc");

/**
 * One page of a filtered query. `filtered` has every filter applied and no order or limit.
 * Runs one query (two when "previous" reaches the start, to show a full first page).
 */
export async function keysetRows<Row>(filtered: AnySelect<Row>, sort: KeysetSort<Row>, request: PageRequest): Promise<{ rows: Row[]; next: string | null; prev: string | null }> {
  const { cursor, limit } = request;
  const forward = (from: Cursor | null) => {
    let q = filtered;
    if (from) q = q.where((eb) => beyond(eb, sort, from, sort.direction === "asc" ? ">" : "<"));
    return q.orderBy(sortExpression(sort.column), sort.direction).orderBy(sql.ref(sort.id), sort.direction).limit(limit + 1).execute();
  };
  if (cursor?.direction === "before") {
    const back = await filtered
      .where((eb) => beyond(eb, sort, cursor.key, sort.direction === "asc" ? "<" : ">"))
      .orderBy(sortExpression(sort.column), flip(sort.direction))
      .orderBy(sql.ref(sort.id), flip(sort.direction))
      .limit(limit + 1)
      .execute();
    if (back.length > limit) {
      const rows = back.slice(0, limit).reverse();
      return { rows, next: encodeCursor(sort.key(rows[rows.length - 1]!)), prev: encodeCursor(sort.key(rows[0]!)) };
    }
    // Reached the start: show the first page, full.
    const rows = await forward(null);
    return { rows: rows.slice(0, limit), next: rows.length > limit ? encodeCursor(sort.key(rows[limit - 1]!)) : null, prev: null };
  }
  const rows = await forward(cursor?.key ?? null);
  const shown = rows.slice(0, limit);
  return {
    rows: shown,
    next: rows.length > limit ? encodeCursor(sort.key(shown[shown.length - 1]!)) : null,
    prev: cursor && shown.length > 0 ? encodeCursor(sort.key(shown[0]!)) : cursor ? encodeCursor(cursor.key) : null,
  };
}

/**
 * A full page: the rows, the total from count(*), and how many rows come before the first shown
 * (a count over the index range before it). Three queries at most, whatever the list's size.
 * `base` has the joins and filters and no select; `select` adds the columns shown.
 */
export async function keysetPage<Row, Item>(
  input: {
    base: AnySelect<object>;
    /** The same filters without joins the count does not need (defaults to `base`). */
    countBase?: AnySelect<object>;
    select: (base: AnySelect<object>) => AnySelect<Row>;
    sort: KeysetSort<Row>;
    request: PageRequest;
  },
  toItem: (row: Row) => Item,
): Promise<Page<Item>> {
  const { base, sort } = input;
  const { rows, next, prev } = await keysetRows(input.select(base), sort, input.request);
  const count = async (q: AnySelect<object>) => Number(((await q.select((eb) => eb.fn.countAll().as("n")).executeTakeFirst()) as { n: number | string | bigint } | undefined)?.n ?? 0);
  const first = rows[0];
  const counted = input.countBase ?? base;
  const [total, offset] = await Promise.all([
    count(counted),
    prev && first ? count(counted.where((eb) => beyond(eb, sort, sort.key(first), sort.direction === "asc" ? "<" : ">"))) : Promise.resolve(0),
  ]);
  return { items: rows.map(toItem), next, prev, total, offset };
}

/** Case-insensitive "contains" on a text column, with LIKE's wildcards escaped (portable). */
export function containsText(column: string, pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

export type { Cursor, CursorValue };

/**
 * Every row of a filtered query in keyset order, `size` rows per query, for streamed exports:
 * each batch is one indexed range read, so memory holds one batch whatever the total.
 */
export async function* keysetBatches<Row>(filtered: AnySelect<Row>, sort: KeysetSort<Row>, size = 1000): AsyncGenerator<Row[]> {
  let from: Cursor | null = null;
  for (;;) {
    let q = filtered;
    const after = from;
    if (after) q = q.where((eb) => beyond(eb, sort, after, sort.direction === "asc" ? ">" : "<"));
    const rows = await q.orderBy(sortExpression(sort.column), sort.direction).orderBy(sql.ref(sort.id), sort.direction).limit(size).execute();
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    from = sort.key(rows[rows.length - 1]!);
  }
}
