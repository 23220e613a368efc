import fs from "node:fs";
import path from "node:path";
import type { RequestHandler } from "express";
import { sql } from "kysely";
import type { DB } from "~db/connection";
import { pendingMigrations } from "~db/migrate";
import { isShuttingDown } from "./shutdown.server";

/**
 * Health checks for a load balancer or an orchestrator (issue 18, ADR 0035). Plain JSON, no
 * personal data, never rate-limited, and left out of the access log at the default level.
 *
 * - `/healthz`: the process is alive and its event loop answers. No database work, so a slow
 *   database never gets a healthy process restarted.
 * - `/readyz`: this node can serve: the database answers, every migration this code knows is
 *   applied, the compiled content is there and each module's version is registered, and the
 *   credential signing key exists. 503 with one reason per failed check otherwise.
 */
export interface ReadinessCheck {
  name: "database" | "migrations" | "content" | "signing-key";
  ok: boolean;
  /** Why it failed, in words an operator can act on. */
  reason?: string;
}

export interface Readiness {
  ready: boolean;
  checks: ReadinessCheck[];
}

interface BuiltModule {
  slug: string;
  contentHash: string;
}

/** Reads the compiled catalogue's slugs and hashes, or says what is missing. */
function builtModules(contentDir: string): BuiltModule[] | string {
  const catalog = path.join(contentDir, "modules.json");
  const bank = path.join(contentDir, "answer-bank.server.json");
  for (const file of [catalog, bank]) if (!fs.existsSync(file)) return `${file} is missing: run \`npm run build\``;
  try {
    const parsed = JSON.parse(fs.readFileSync(catalog, "utf8")) as { modules?: BuiltModule[] };
    if (!Array.isArray(parsed.modules) || parsed.modules.length === 0) return `${catalog} lists no modules`;
    return parsed.modules;
  } catch {
    return `${catalog} is not valid JSON: run \`npm run build\` again`;
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function checkReadiness(db: DB, contentDir: string): Promise<Readiness> {
  const checks: ReadinessCheck[] = [];
  try {
    await sql`select 1`.execute(db);
    checks.push({ name: "database", ok: true });
  } catch (error) {
    // Without a database nothing else can be checked; say so once.
    checks.push({ name: "database", ok: false, reason: `the database does not answer: ${message(error)}` });
    return { ready: false, checks };
  }

  const pending = await pendingMigrations(db).catch((error: unknown) => [`(could not read the migration table: ${message(error)})`]);
  checks.push(pending.length === 0 ? { name: "migrations", ok: true } : { name: "migrations", ok: false, reason: `${pending.length} migration(s) not applied: ${pending.join(", ")}` });

  const modules = builtModules(contentDir);
  if (typeof modules === "string") checks.push({ name: "content", ok: false, reason: modules });
  else if (pending.length > 0) checks.push({ name: "content", ok: false, reason: "module versions cannot be checked before the migrations are applied" });
  else {
    const registered = await db.selectFrom("module_version").select(["slug", "content_hash"]).execute();
    const known = new Set(registered.map((r) => `${r.slug}\u0000${r.content_hash}`));
    const missing = modules.filter((m) => !known.has(`${m.slug}\u0000${m.contentHash}`)).map((m) => m.slug);
    checks.push(missing.length === 0 ? { name: "content", ok: true } : { name: "content", ok: false, reason: `module version(s) not registered yet: ${missing.join(", ")} (the server registers them at start)` });
  }

  if (pending.length > 0) checks.push({ name: "signing-key", ok: false, reason: "the signing key cannot be checked before the migrations are applied" });
  else {
    const key = await db.selectFrom("credential_issuer_key").select("id").where("retired_at", "is", null).executeTakeFirst();
    checks.push(key ? { name: "signing-key", ok: true } : { name: "signing-key", ok: false, reason: "no credential signing key: the server makes one at start" });
  }
  return { ready: checks.every((c) => c.ok), checks };
}

const noStore = { "Cache-Control": "no-store" };

export const healthzHandler: RequestHandler = (_req, res) => {
  res.set(noStore).json({ status: "ok" });
};

export function readyzHandler(options: { db: () => DB; contentDir: () => string }): RequestHandler {
  return (_req, res, next) => {
    // Stopping (SIGTERM): finishing what is in flight, taking nothing new.
    if (isShuttingDown()) return void res.status(503).set(noStore).json({ status: "shutting down", checks: [] });
    checkReadiness(options.db(), options.contentDir())
      .then((readiness) => res.status(readiness.ready ? 200 : 503).set(noStore).json({ status: readiness.ready ? "ready" : "not ready", checks: readiness.checks }))
      .catch(next);
  };
}
