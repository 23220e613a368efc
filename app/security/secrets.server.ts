import type { DB } from "~db/connection";
import { randomToken } from "~/utils/random.server";

const cache = new Map<string, string>();

/**
 * A server-side secret generated on first use and kept in the database, so a fresh install
 * needs no configuration and nothing guessable ships in the code.
 */
export async function getAppSecret(db: DB, name: string): Promise<string> {
  const cached = cache.get(name);
  if (cached) return cached;
  await db.insertInto("app_secret").values({ name, value: randomToken(32) }).onConflict((oc) => oc.column("name").doNothing()).execute();
  const row = await db.selectFrom("app_secret").select("value").where("name", "=", name).executeTakeFirstOrThrow();
  cache.set(name, row.value);
  return row.value;
}
