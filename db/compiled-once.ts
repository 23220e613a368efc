import type { Compilable, CompiledQuery } from "kysely";
import type { DB } from "./connection";

/**
 * What a query is built with where a call's own value goes: a string no caller passes (it holds
 * NUL characters), one per named value, so the parameters that are it can be found after compiling.
 */
const MARK = "\u0000compiled-once slot";
const slotOf = (name: string) => `${MARK} ${name}\u0000`;

/** Shapes remembered per database; past this the oldest is forgotten. */
const SHAPES_KEPT = 32;

/** The values a call puts in its query, by name: each a bound parameter. */
export type SlotValues = Record<string, string | number>;

interface Template<Row> {
  query: CompiledQuery<Row>;
  /** For each parameter, the name of the value that goes there, or null for the query's own. */
  places: (string | null)[];
}

/**
 * A query built and compiled by Kysely once per database and `shape`, then run with each call's
 * values put in their places (ADR 0053). Building a select and compiling it can cost more than
 * SQLite takes to run it; the SQL text and the other parameters depend only on the shape, so they
 * are kept. `shape` must say everything `build` reads besides the values. `build` gets a marker in
 * place of each value (a string, whatever the value's type) and must pass it to Kysely unchanged
 * as a bound parameter, as often as the query needs it; a value that is missing from the compiled
 * query, or that reached it changed (in a LIKE pattern, say), is refused when the shape is first
 * compiled, so it cannot run the wrong statement. Every call shares the compiled query's id, so a
 * Kysely plugin that keeps state per query between compiling and reading the result must not be on
 * a database used with it (the app's databases have none; migrations use a stateless one).
 */
export function compiledOnceWith<Values extends SlotValues, Shape, Row>(build: (db: DB, values: Values, shape: Shape) => Compilable<Row>, keyOf: (shape: Shape) => string) {
  const perDatabase = new WeakMap<DB, Map<string, Template<Row>>>();
  return (db: DB, shape: Shape, values: Values): CompiledQuery<Row> => {
    let compiled = perDatabase.get(db);
    if (!compiled) perDatabase.set(db, (compiled = new Map()));
    const key = keyOf(shape);
    let template = compiled.get(key);
    if (!template) {
      template = compile(db, build, shape, Object.keys(values));
      if (compiled.size >= SHAPES_KEPT) compiled.delete(compiled.keys().next().value!);
      compiled.set(key, template);
    }
    const { query, places } = template;
    return { ...query, parameters: query.parameters.map((p, i) => (places[i] === null ? p : values[places[i]!])) };
  };
}

function compile<Values extends SlotValues, Shape, Row>(db: DB, build: (db: DB, values: Values, shape: Shape) => Compilable<Row>, shape: Shape, names: string[]): Template<Row> {
  const slots = Object.fromEntries(names.map((name) => [name, slotOf(name)])) as unknown as Values;
  const query = build(db, slots, shape).compile();
  const bySlot = new Map(names.map((name) => [slotOf(name), name]));
  const places = query.parameters.map((p) => (typeof p === "string" ? (bySlot.get(p) ?? null) : null));
  const changed = query.parameters.filter((p, i) => places[i] === null && typeof p === "string" && p.includes(MARK));
  if (changed.length > 0) throw new Error(`compiledOnce: a value reached the query changed (${changed.length} parameter(s)); pass each value unchanged.`);
  const missing = names.filter((name) => !places.includes(name));
  if (missing.length > 0) throw new Error(`compiledOnce: ${missing.join(", ")} must be a bound parameter of the query; it is not one.`);
  return { query, places };
}

/** `compiledOnceWith` for a query with one value: the verification view, the status history and the session lookup. */
export function compiledOnce<Shape, Row>(build: (db: DB, value: string, shape: Shape) => Compilable<Row>, keyOf: (shape: Shape) => string) {
  const once = compiledOnceWith((db: DB, values: { value: string }, shape: Shape) => build(db, values.value, shape), keyOf);
  return (db: DB, shape: Shape, value: string): CompiledQuery<Row> => once(db, shape, { value });
}
