/**
 * Invitations (issue 13 item 9, ADR 0019): an administrator invites an email address with a
 * role; the link goes out through the outbox as a one-time token, expires after 7 days and works
 * once. Accepting it creates the account with the invited role and the name and password the
 * invitee chooses; the address counts as confirmed (the link reached it). A newer invitation to
 * the same address replaces an older one. The audit trail records who invited whom, and who
 * accepted which invitation.
 */
import type { DB } from "~db/connection";
import type { Role } from "~db/schema";
import { DAY, iso } from "~/utils/clock";
import { recordAudit } from "~/audit/audit.server";
import { queueEmail } from "~/email/outbox.server";
import { invalid, ok, refuse, type Result } from "~/utils/result";
import { findUserByEmail } from "./accounts.server";
import { createOneTimeToken, findUsableToken, markTokenUsed } from "./one-time-tokens.server";
import { hashPassword } from "./password.server";
import { createSession } from "./session.server";

export const INVITATION_LIFETIME_MS = 7 * DAY;

const ROLE_NAMES: Record<Role, string> = { trainer: "a trainer", assessor: "an assessor", admin: "an administrator" };

export async function inviteUser(db: DB, inviter: { id: number; name: string }, input: { email: string; role: Role }, baseUrl: string, now: Date): Promise<Result<{ invitationId: number }>> {
  if (await findUserByEmail(db, input.email)) return invalid({ email: "An account with this email address already exists. Change its role in the list below instead." });
  const { invitationId, token } = await db.transaction().execute(async (trx) => {
    const earlier = await trx.selectFrom("user_invitation").select(["id", "token_id"]).where("email", "=", input.email).where("accepted_at", "is", null).where("revoked_at", "is", null).execute();
    for (const old of earlier) {
      await trx.updateTable("user_invitation").set({ revoked_at: iso(now) }).where("id", "=", old.id).execute();
      await markTokenUsed(trx, old.token_id, now);
    }
    const token = await createOneTimeToken(trx, "invitation", null, INVITATION_LIFETIME_MS, now);
    const row = await trx
      .insertInto("user_invitation")
      .values({
        token_id: token.split(".")[0]!,
        email: input.email,
        role: input.role,
        invited_by: inviter.id,
        created_at: iso(now),
        expires_at: iso(new Date(now.getTime() + INVITATION_LIFETIME_MS)),
        accepted_user_id: null,
        accepted_at: null,
        revoked_at: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actorUserId: inviter.id, action: "account.invited", subjectType: "invitation", subjectId: row.id, details: { email: input.email, role: input.role, replaced: earlier.map((e) => e.id) } }, now);
    return { invitationId: row.id, token };
  });
  await queueEmail(
    db,
    {
      to: input.email,
      subject: "You are invited to the Approved Trainer Academy",
      text: `Hello,\n\n${inviter.name} has invited you to join the Approved Trainer Academy as ${ROLE_NAMES[input.role]}.\nOpen this link within 7 days to choose your name and password:\n\n${baseUrl}/invitation/${token}\n\nThe link works once. If you were not expecting this invitation, you can ignore this email.\n`,
    },
    now,
  );
  return ok({ invitationId });
}

/** The invitation a link stands for, while it can still be accepted. */
export async function findOpenInvitation(db: DB, token: string, now: Date) {
  const link = await findUsableToken(db, token, "invitation", now);
  if (!link) return null;
  return (
    (await db
      .selectFrom("user_invitation")
      .innerJoin("user as inviter", "inviter.id", "user_invitation.invited_by")
      .select(["user_invitation.id", "user_invitation.email", "user_invitation.role", "user_invitation.invited_by", "inviter.name as inviterName"])
      .where("user_invitation.token_id", "=", link.id)
      .where("user_invitation.accepted_at", "is", null)
      .where("user_invitation.revoked_at", "is", null)
      .executeTakeFirst()) ?? null
  );
}

const LINK_REFUSED = "This invitation is not valid: it has been used, has expired, or a newer invitation replaced it. Ask an administrator to invite you again.";

export async function acceptInvitation(
  db: DB,
  token: string,
  input: { name: string; password: string },
  now: Date,
  hash: (password: string) => Promise<string> = hashPassword,
): Promise<Result<{ userId: number; sessionToken: string }>> {
  // Checked before the password is hashed (a dead link costs no hashing), and again in the
  // transaction that uses it up, so two tabs cannot both accept it.
  if (!(await findOpenInvitation(db, token, now))) return refuse(400, LINK_REFUSED);
  const passwordHash = await hash(input.password);
  return db.transaction().execute(async (trx): Promise<Result<{ userId: number; sessionToken: string }>> => {
    const invitation = await findOpenInvitation(trx, token, now);
    if (!invitation) return refuse(400, LINK_REFUSED);
    if (await findUserByEmail(trx, invitation.email)) return refuse(409, "An account with this email address already exists. Sign in, or reset your password.");
    await markTokenUsed(trx, token.split(".")[0]!, now);
    const user = await trx
      .insertInto("user")
      .values({ email: invitation.email, name: input.name, role: invitation.role, password_hash: passwordHash, disabled_at: null, email_confirmed_at: iso(now), created_at: iso(now), updated_at: iso(now) })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx.updateTable("user_invitation").set({ accepted_user_id: user.id, accepted_at: iso(now) }).where("id", "=", invitation.id).execute();
    await recordAudit(
      trx,
      { actorUserId: user.id, action: "account.invitation_accepted", subjectType: "user", subjectId: user.id, details: { invitationId: invitation.id, invitedBy: invitation.invited_by, role: invitation.role } },
      now,
    );
    return ok({ userId: user.id, sessionToken: await createSession(trx, user.id, now) });
  });
}

export interface PendingInvitation {
  id: number;
  email: string;
  role: Role;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

/** The newest invitations not yet accepted, replaced or expired (one query). */
export async function listPendingInvitations(db: DB, now: Date, limit = 20): Promise<PendingInvitation[]> {
  const rows = await db
    .selectFrom("user_invitation")
    .innerJoin("user as inviter", "inviter.id", "user_invitation.invited_by")
    .select(["user_invitation.id", "user_invitation.email", "user_invitation.role", "inviter.name as invitedBy", "user_invitation.created_at", "user_invitation.expires_at"])
    .where("user_invitation.accepted_at", "is", null)
    .where("user_invitation.revoked_at", "is", null)
    .where("user_invitation.expires_at", ">", iso(now))
    .orderBy("user_invitation.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, invitedBy: r.invitedBy, createdAt: r.created_at, expiresAt: r.expires_at }));
}
