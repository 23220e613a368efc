/**
 * Dialect differences in errors live here (db/), not in the app. A unique-constraint violation
 * is SQLite's SQLITE_CONSTRAINT_UNIQUE (or PRIMARYKEY) and PostgreSQL's SQLSTATE 23505.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505") return true;
  return /UNIQUE constraint failed|duplicate key value violates unique constraint/.test(error.message);
}
