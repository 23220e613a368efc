import { z } from "zod";

/**
 * Environment, validated once. Every setting has an embedded default so `npm start` works on a
 * fresh machine with nothing configured.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_PATH: z.string().min(1).default("data/academy.sqlite"),
  /** When set (postgres://user@host:5432/name), PostgreSQL is used instead of the SQLite file (ADR 0011). */
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^(postgres(ql)?:\/\/.+)?$/, "must be a postgres:// or postgresql:// URL, or empty for SQLite")
    .default(""),
  /** Connections per server process to PostgreSQL. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** Uploaded evidence (PDF/PNG/JPEG), outside public/, under server-generated names. */
  EVIDENCE_DIR: z.string().min(1).default("data/evidence"),
  PUBLIC_BASE_URL: z.string().url().optional(),
  TRUST_PROXY: z.enum(["0", "1"]).default("0"),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().optional(),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  SMTP_FROM: z.string().default("Approved Trainer Academy <no-reply@academy.invalid>"),
});

export type Env = z.infer<typeof schema> & { PUBLIC_BASE_URL: string; secureCookies: boolean };

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  const base = (parsed.data.PUBLIC_BASE_URL ?? `http://localhost:${parsed.data.PORT}`).replace(/\/+$/, "");
  cached = { ...parsed.data, PUBLIC_BASE_URL: base, secureCookies: base.startsWith("https://") };
  return cached;
}
