import type { DB } from "~db/connection";
import type { Role } from "~db/schema";
import { hashPassword } from "~/auth/password.server";
import { recordAudit } from "~/audit/audit.server";
import { iso } from "~/utils/clock";

export interface SeedAccount {
  name: string;
  email: string;
  password: string;
  role: Role;
}

/** Creates the accounts that do not exist yet; returns how many were created. */
export async function seedAccounts(db: DB, accounts: SeedAccount[], now: Date): Promise<number> {
  let created = 0;
  for (const account of accounts) {
    const exists = await db.selectFrom("user").select("id").where("email", "=", account.email).executeTakeFirst();
    if (exists) continue;
    const user = await db
      .insertInto("user")
      .values({ email: account.email, name: account.name, role: account.role, password_hash: await hashPassword(account.password), disabled_at: null, email_confirmed_at: iso(now), created_at: iso(now), updated_at: iso(now) })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(db, { actorUserId: null, action: "account.seeded", subjectType: "user", subjectId: user.id, details: { role: account.role } }, now);
    created += 1;
  }
  return created;
}
