import type { DB } from "~db/connection";
import type { Role } from "~db/schema";
import { hashPassword } from "~/auth/password.server";
import { recordAudit } from "~/audit/audit.server";
import { iso } from "~/utils/clock";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { enrolKnownSecondFactor, hasSecondFactor } from "~/auth/two-factor.server";

export interface SeedAccount {
  name: string;
  email: string;
  password: string;
  role: Role;
  /**
   * Test fixtures only: a known TOTP key (base32) to enrol the account's second factor with, so
   * end-to-end tests can compute sign-in codes (ADR 0032). Never set for real accounts.
   */
  totpSecret?: string;
}

/** Creates the accounts that do not exist yet; returns how many were created. */
export async function seedAccounts(db: DB, accounts: SeedAccount[], now: Date): Promise<number> {
  let created = 0;
  for (const account of accounts) {
    const exists = await db.selectFrom("user").select("id").where("email", "=", account.email).executeTakeFirst();
    if (exists) {
      if (account.totpSecret && !(await hasSecondFactor(db, exists.id))) await enrolKnownSecondFactor(db, exists.id, decodeBase32IgnorePadding(account.totpSecret), now);
      continue;
    }
    const user = await db
      .insertInto("user")
      .values({ email: account.email, name: account.name, role: account.role, password_hash: await hashPassword(account.password), disabled_at: null, email_confirmed_at: iso(now), created_at: iso(now), updated_at: iso(now) })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(db, { actorUserId: null, action: "account.seeded", subjectType: "user", subjectId: user.id, details: { role: account.role } }, now);
    if (account.totpSecret) await enrolKnownSecondFactor(db, user.id, decodeBase32IgnorePadding(account.totpSecret), now);
    created += 1;
  }
  return created;
}
