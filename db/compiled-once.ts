import type { Compilable, CompiledQuery } from "kysely";
import type { DB } from "./connection";

/**
 * What a query is built with where each call's own value goes: a string no caller passes (it
 * holds NUL characters), so the one parameter that is it can be found after compiling.
 */
const SLOT = "\u0000compiled-once slot\u0000";

/** Shapes remembered per database; past this the oldest is forgotten. */
const SHAPES_KEPT = 32;

/**
 * A query built and compiled by Kysely once per database and `shape`, then run with one value put
 * in its place (ADR 0053). Building a large select (the verification view's correlated columns)
 * and compiling it costs more than SQLite takes to run it; the SQL text and the other parameters
 * depend only on the shape, so they are kept. `shape` must say everything `build` reads besides
 * the value; the value must reach the query as a bound parameter, which `build` gets as a string
 * and must pass to Kysely unchanged, exactly once. Every call shares the compiled query's id, so a
 * Kysely plugin that keeps state per query between compiling and reading the result must not be on
 * a database used with it (the app's databases have none; migrations use a stateless one).
 */
export function compiledOnce<Shape, Row>(build: (db: DB, value: string, shape: Shape) => Compilable<Row>, keyOf: (shape: Shape) => string) {
  const perDatabase = new WeakMap<DB, Map<string, CompiledQuery<Row>>>();
  return (db: DB, shape: Shape, value: string): CompiledQuery<Row> => {
    let compiled = perDatabase.get(db);
    if (!compiled) perDatabase.set(db, (compiled = new Map()));
    const key = keyOf(shape);
    let query = compiled.get(key);
    if (!query) {
      query = build(db, SLOT, shape).compile();
      const slots = query.parameters.filter((p) => p === SLOT).length;
      if (slots !== 1) throw new Error(`compiledOnce: the value must be one bound parameter of the query; it is ${slots}.`);
      if (compiled.size >= SHAPES_KEPT) compiled.delete(compiled.keys().next().value!);
      compiled.set(key, query);
    }
    return { ...query, parameters: query.parameters.map((p) => (p === SLOT ? value : p)) };
  };
}
