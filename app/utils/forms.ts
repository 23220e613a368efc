import type { z } from "zod";
import { invalid, ok, type Result } from "./result";

export type FieldErrors = Record<string, string>;

/** Turns FormData into a plain object of strings (files and repeated keys are not used here). */
export function formToObject(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !(key in values)) values[key] = value;
  }
  return values;
}

/**
 * Validates input with a zod schema, keeping the first message per field. A problem with the
 * whole input (no field path) becomes the refusal's `message`.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): Result<z.infer<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data as z.infer<S>);
  const fieldErrors: FieldErrors = {};
  let message: string | null = null;
  for (const issue of parsed.error.issues) {
    if (issue.path.length === 0) message ??= issue.message;
    else fieldErrors[String(issue.path[0])] ??= issue.message;
  }
  return invalid(fieldErrors, message);
}
