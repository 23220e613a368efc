import { E2E_DATABASE, E2E_EVIDENCE_DIR } from "../../../playwright.config";
import { seedCertifiedTrainer } from "../../../scripts/lib/seed-certified";
import { E2E_ASSESSOR } from "./accounts";
import { withDatabaseOf } from "./database";
import { uniqueEmail } from "./helpers";

export const CERTIFIED_PASSWORD = "seeded certified trainer password";

/**
 * A trainer who is already certified, written into the e2e server's database through the real
 * rules (scripts/lib/seed-certified.ts), for stories that start after certification.
 */
export async function seedCertifiedInE2e(name: string, baseURL: string) {
  // Seeded evidence goes where the e2e server keeps it (read once, by the first getEnv()).
  process.env.EVIDENCE_DIR = E2E_EVIDENCE_DIR;
  const email = uniqueEmail("certified");
  const trainer = await withDatabaseOf(E2E_DATABASE, async (db) => {
    const assessor = await db.selectFrom("user").select("id").where("email", "=", E2E_ASSESSOR.email).executeTakeFirstOrThrow();
    return seedCertifiedTrainer(db, { name, email, password: CERTIFIED_PASSWORD, staffUserId: assessor.id }, baseURL, new Date());
  });
  return { ...trainer, name, email, password: CERTIFIED_PASSWORD };
}
