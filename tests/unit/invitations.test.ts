import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { INVITATION_LIFETIME_MS, acceptInvitation, findOpenInvitation, inviteUser, listPendingInvitations } from "~/auth/invitations.server";
import { verifyPassword } from "~/auth/password.server";
import { validateSessionToken } from "~/auth/session.server";
import { inviteSchema } from "~/auth/validation";
import { MINUTE, addMs } from "~/utils/clock";
import { validate } from "~/utils/forms";
import { createTestDb, createUser } from "../helpers/db";

let db: DB;
let admin: { id: number; name: string };
const now = new Date("2026-04-01T10:00:00Z");
const BASE = "https://academy.example";
const fastHash = async (password: string) => `plain:${password}`;

beforeAll(async () => {
  db = await createTestDb();
  const row = await createUser(db, { role: "admin", name: "Ines Inviter" });
  admin = { id: row.id, name: "Ines Inviter" };
});

async function invitationLink(email: string): Promise<string> {
  const rows = await db.selectFrom("email_outbox").select("body_text").where("to_address", "=", email).orderBy("id", "desc").execute();
  const match = /\/invitation\/([a-z2-7]+\.[a-z2-7]+)/.exec(rows[0]?.body_text ?? "");
  if (!match) throw new Error(`no invitation for ${email}`);
  return match[1]!;
}

describe("invitations", () => {
  it("an invited assessor chooses a name and password through the emailed link, once; the audit says who invited whom", async () => {
    const invited = await inviteUser(db, admin, { email: "asha@example.test", role: "assessor" }, BASE, now);
    expect(invited.ok).toBe(true);
    const token = await invitationLink("asha@example.test");
    expect((await listPendingInvitations(db, now)).map((i) => [i.email, i.role, i.invitedBy])).toContainEqual(["asha@example.test", "assessor", "Ines Inviter"]);

    const accepted = await acceptInvitation(db, token, { name: "Asha Assessor", password: "a long new password" }, addMs(now, MINUTE));
    expect(accepted.ok).toBe(true);
    const user = await db.selectFrom("user").selectAll().where("email", "=", "asha@example.test").executeTakeFirstOrThrow();
    expect([user.name, user.role, user.email_confirmed_at]).toEqual(["Asha Assessor", "assessor", addMs(now, MINUTE).toISOString()]);
    expect(await verifyPassword(user.password_hash, "a long new password")).toBe(true);
    if (accepted.ok) expect((await validateSessionToken(db, accepted.value.sessionToken, addMs(now, MINUTE)))?.user.id).toBe(user.id);

    const again = await acceptInvitation(db, token, { name: "Someone Else", password: "another password" }, addMs(now, 2 * MINUTE), fastHash);
    expect(again.ok).toBe(false);
    expect(await listPendingInvitations(db, now)).not.toContainEqual(expect.objectContaining({ email: "asha@example.test" }));

    const audit = await db.selectFrom("audit_event").select(["action", "actor_user_id", "details"]).where("action", "in", ["account.invited", "account.invitation_accepted"]).execute();
    const invitedEntry = audit.find((a) => a.action === "account.invited")!;
    expect(invitedEntry.actor_user_id).toBe(admin.id);
    expect(JSON.parse(invitedEntry.details)).toMatchObject({ email: "asha@example.test", role: "assessor" });
    const acceptedEntry = audit.find((a) => a.action === "account.invitation_accepted")!;
    expect(acceptedEntry.actor_user_id).toBe(user.id);
    expect(JSON.parse(acceptedEntry.details)).toMatchObject({ invitedBy: admin.id, role: "assessor" });
    expect(JSON.stringify(audit)).not.toContain(token.split(".")[1]);
  });

  it("an invitation expires, and a newer one to the same address replaces it", async () => {
    await inviteUser(db, admin, { email: "tom@example.test", role: "trainer" }, BASE, now);
    const first = await invitationLink("tom@example.test");
    expect(await findOpenInvitation(db, first, addMs(now, INVITATION_LIFETIME_MS))).toBeNull();
    expect((await acceptInvitation(db, first, { name: "Tom Late", password: "a long new password" }, addMs(now, INVITATION_LIFETIME_MS), fastHash)).ok).toBe(false);

    await inviteUser(db, admin, { email: "tom@example.test", role: "admin" }, BASE, addMs(now, MINUTE));
    const second = await invitationLink("tom@example.test");
    expect(await findOpenInvitation(db, first, addMs(now, 2 * MINUTE))).toBeNull();
    expect((await findOpenInvitation(db, second, addMs(now, 2 * MINUTE)))?.role).toBe("admin");
  });

  it("an address that already has an account, a bad address or an unknown role gets a field message", async () => {
    const existing = await createUser(db, { email: "taken@example.test" });
    const refused = await inviteUser(db, admin, { email: "taken@example.test", role: "trainer" }, BASE, now);
    expect(refused.ok ? null : refused.fieldErrors.email).toMatch(/already exists/);
    expect(existing.id).toBeGreaterThan(0);
    const bad = validate(inviteSchema, { email: "not an email", role: "superuser" });
    expect(bad.ok ? null : bad.fieldErrors).toEqual({ email: "Enter an email address like name@example.com.", role: "Choose trainer, assessor or admin." });
  });
});
