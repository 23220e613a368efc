import type { SeedAccount } from "../../../scripts/lib/seed-accounts";

/**
 * Staff accounts the e2e server starts with (trainers sign up through the UI in each test). Test
 * fixtures: like their passwords, their TOTP keys are known, so signIn can compute the code the
 * second step asks for (two-factor sign-in is required for staff by default, ADR 0032).
 */
export const E2E_ADMIN: SeedAccount = { role: "admin", name: "Erin Admin", email: "admin@e2e.test", password: "admin-password-e2e", totpSecret: "E2EADMINE2EADMINE2EADMINE2EADMIN" };
export const E2E_ASSESSOR: SeedAccount = { role: "assessor", name: "Sam Assessor", email: "assessor@e2e.test", password: "assessor-password-e2e", totpSecret: "E2EASSESSORE2EASSESSORE2EASSESSO" };
/** A second assessor, for moderation (a marker cannot moderate their own mark). */
export const E2E_ASSESSOR_2: SeedAccount = { role: "assessor", name: "Robin Moderator", email: "assessor2@e2e.test", password: "assessor2-password-e2e", totpSecret: "E2EMODERATORE2EMODERATORE2EMODER" };
