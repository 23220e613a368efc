import type { SeedAccount } from "../../../scripts/lib/seed-accounts";

/** Staff accounts the e2e server starts with (trainers sign up through the UI in each test). */
export const E2E_ADMIN: SeedAccount = { role: "admin", name: "Erin Admin", email: "admin@e2e.test", password: "admin-password-e2e" };
export const E2E_ASSESSOR: SeedAccount = { role: "assessor", name: "Sam Assessor", email: "assessor@e2e.test", password: "assessor-password-e2e" };
/** A second assessor, for moderation (a marker cannot moderate their own mark). */
export const E2E_ASSESSOR_2: SeedAccount = { role: "assessor", name: "Robin Moderator", email: "assessor2@e2e.test", password: "assessor2-password-e2e" };
