/**
 * Oversight reports for commissioners (issue 15 item 4, ADR 0043). A trainer reads their report,
 * sees exactly what a recipient will see, and sends its link to a named recipient; an admin can
 * ask for a report to be sent, and it goes only once the trainer has seen it and approved. The
 * recipient opens a page (printable, and as a PDF) that is read live when opened, so a status
 * that changed since is never hidden. Every step is audited; the trainer can withdraw a link.
 */
import type { DB } from "~db/connection";
import type { OversightReportShareTable, Role } from "~db/schema";
import type { Selectable } from "kysely";
import { recordAudit } from "~/audit/audit.server";
import { hashSecret, secretMatchesHash, splitToken } from "~/auth/crypto.server";
import { queueEmail } from "~/email/outbox.server";
import { notify } from "~/notifications/notify.server";
import { addMs, DAY, iso } from "~/utils/clock";
import { formatDate, ukToday } from "~/utils/dates";
import { randomToken } from "~/utils/random.server";
import { invalid, ok, refuse, type Result } from "~/utils/result";
import { getPublicCertificateView } from "./public.server";
import { SHARE_LIFETIME_DAYS, SHARES_PER_DAY, shareState, type OversightReport, type RecipientInput, type ShareSummary } from "./oversight-report";

type Actor = { id: number; role: Role };
type ShareRow = Selectable<OversightReportShareTable>;

/** The report for one trainer, read now. Null when there is no such trainer. */
export async function buildOversightReport(db: DB, trainerId: number, now: Date): Promise<OversightReport | null> {
  const trainer = await db.selectFrom("user").select(["id", "name"]).where("id", "=", trainerId).where("role", "=", "trainer").executeTakeFirst();
  if (!trainer) return null;
  const [certificates, supervision, sessions] = await Promise.all([
    db.selectFrom("certificate").select("id").where("user_id", "=", trainerId).orderBy("issued_at", "desc").limit(20).execute(),
    db.selectFrom("supervision").select("trainer_user_id").where("trainer_user_id", "=", trainerId).executeTakeFirst(),
    db.selectFrom("supervision_session").select("held_on").where("trainer_user_id", "=", trainerId).orderBy("held_on", "desc").limit(100).execute(),
  ]);
  const views = [];
  for (const c of certificates) {
    const view = await getPublicCertificateView(db, c.id, now);
    if (view) views.push(view);
  }
  return {
    // The name on the latest certificate is the name a commissioner can verify; else the account's.
    trainerName: views[0]?.name ?? trainer.name,
    preparedOn: ukToday(now),
    certificate: views[0] ?? null,
    earlier: views.slice(1),
    supervision: { assigned: Boolean(supervision), sessionDates: sessions.map((s) => s.held_on) },
  };
}

/** The trainer's shares, newest first (for the trainer and for admins). */
export async function listShares(db: DB, trainerId: number, now: Date): Promise<ShareSummary[]> {
  const rows = await db.selectFrom("oversight_report_share").selectAll().where("trainer_user_id", "=", trainerId).orderBy("created_at", "desc").limit(50).execute();
  return rows.map((r) => ({
    id: r.id,
    state: shareState(r, now),
    recipientName: r.recipient_name,
    recipientOrganisation: r.recipient_organisation,
    recipientEmail: r.recipient_email,
    requestedByAdmin: r.requested_by_user_id !== r.trainer_user_id,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    expiresAt: r.expires_at,
    viewCount: r.view_count,
    lastViewedAt: r.last_viewed_at,
  }));
}

function shareLink(baseUrl: string, id: string, secret: string): string {
  return `${baseUrl.replace(/\/$/, "")}/oversight/${id}.${secret}`;
}

/** Sends a share that the trainer has approved: the link is new (only its hash was ever stored). */
async function send(trx: DB, share: ShareRow, trainerName: string, baseUrl: string, now: Date): Promise<void> {
  const secret = randomToken();
  const expiresAt = addMs(now, SHARE_LIFETIME_DAYS * DAY);
  await trx.updateTable("oversight_report_share").set({ secret_hash: hashSecret(secret), sent_at: iso(now), expires_at: iso(expiresAt) }).where("id", "=", share.id).execute();
  await queueEmail(
    trx,
    {
      to: share.recipient_email,
      subject: `Oversight report: ${trainerName}, Medical-Legal Approved Trainer`,
      text: [
        `Dear ${share.recipient_name},`,
        "",
        `${trainerName} has asked the Approved Trainer Academy to send you their oversight report: their certificate and its status history, the training they completed (with content versions) and the dates of their supervision sessions.`,
        "",
        `Read it (and print or download it as a PDF) here, until ${formatDate(iso(expiresAt))}:`,
        shareLink(baseUrl, share.id, secret),
        "",
        "The page is read when you open it, so it always shows the certificate's current status. If you did not expect this email, you can ignore it.",
      ].join("\n"),
    },
    now,
  );
}

async function sharesToday(db: DB, trainerId: number, now: Date): Promise<number> {
  const row = await db
    .selectFrom("oversight_report_share")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("trainer_user_id", "=", trainerId)
    .where("created_at", ">", iso(addMs(now, -DAY)))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A trainer sends their report to a recipient (sent at once: they are looking at it), or an admin
 * asks for it to be sent (it waits for the trainer, who is notified). Audited either way.
 */
export async function requestShare(db: DB, actor: Actor, trainerId: number, input: RecipientInput, baseUrl: string, now: Date): Promise<Result<{ shareId: string; sent: boolean }>> {
  if (actor.role === "trainer" ? actor.id !== trainerId : actor.role !== "admin") return refuse(403, "Only the trainer or an admin can share this report.");
  const trainer = await db.selectFrom("user").select(["id", "name"]).where("id", "=", trainerId).where("role", "=", "trainer").executeTakeFirst();
  if (!trainer) return refuse(404, "There is no such trainer.");
  if ((await sharesToday(db, trainerId, now)) >= SHARES_PER_DAY) {
    return invalid({ recipientEmail: `At most ${SHARES_PER_DAY} reports can be sent for one trainer in 24 hours. Try again tomorrow.` }, "The report was not sent.");
  }
  const report = await buildOversightReport(db, trainerId, now);
  const id = randomToken();
  const byTrainer = actor.role === "trainer";
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("oversight_report_share")
      .values({
        id,
        // No link exists until it is sent: a hash that no secret matches.
        secret_hash: hashSecret(randomToken()),
        trainer_user_id: trainerId,
        requested_by_user_id: actor.id,
        recipient_name: input.recipientName,
        recipient_organisation: input.recipientOrganisation,
        recipient_email: input.recipientEmail,
        created_at: iso(now),
        sent_at: null,
        expires_at: null,
        declined_at: null,
        revoked_at: null,
        revoked_by_user_id: null,
        last_viewed_at: null,
      })
      .execute();
    const share = await trx.selectFrom("oversight_report_share").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    const details = { recipient: input.recipientName, organisation: input.recipientOrganisation, certificateId: report?.certificate?.id ?? null };
    if (byTrainer) {
      await send(trx, share, report?.trainerName ?? trainer.name, baseUrl, now);
      await recordAudit(trx, { actorUserId: actor.id, action: "oversight_report.sent", subjectType: "user", subjectId: String(trainerId), details }, now);
    } else {
      await recordAudit(trx, { actorUserId: actor.id, action: "oversight_report.requested", subjectType: "user", subjectId: String(trainerId), details }, now);
      await notify(
        trx,
        {
          userId: trainerId,
          kind: "oversight_report",
          title: "An oversight report is waiting for your approval",
          body: `An admin has asked to send your oversight report to ${input.recipientName} (${input.recipientOrganisation}). Read what would be shared, then approve or decline.`,
          link: "/oversight-report",
        },
        now,
      );
    }
  });
  return ok({ shareId: id, sent: byTrainer });
}

async function ownShare(db: DB, trainer: Actor, shareId: string) {
  return db.selectFrom("oversight_report_share").selectAll().where("id", "=", shareId).where("trainer_user_id", "=", trainer.id).executeTakeFirst();
}

/** The trainer approves (the report is sent) or declines an admin's request. */
export async function answerRequest(db: DB, trainer: Actor, shareId: string, approve: boolean, baseUrl: string, now: Date): Promise<Result> {
  if (trainer.role !== "trainer") return refuse(403, "Only the trainer can approve sending their report.");
  const share = await ownShare(db, trainer, shareId);
  if (!share) return refuse(404, "There is no such request.");
  if (shareState(share, now) !== "awaiting trainer") return refuse(409, "This request has been answered already.");
  await db.transaction().execute(async (trx) => {
    const details = { recipient: share.recipient_name, organisation: share.recipient_organisation };
    if (approve) {
      const name = (await buildOversightReport(trx, trainer.id, now))?.trainerName ?? "";
      await send(trx, share, name, baseUrl, now);
      await recordAudit(trx, { actorUserId: trainer.id, action: "oversight_report.sent", subjectType: "user", subjectId: String(trainer.id), details: { ...details, requestedBy: share.requested_by_user_id } }, now);
    } else {
      await trx.updateTable("oversight_report_share").set({ declined_at: iso(now) }).where("id", "=", share.id).execute();
      await recordAudit(trx, { actorUserId: trainer.id, action: "oversight_report.declined", subjectType: "user", subjectId: String(trainer.id), details }, now);
    }
  });
  return ok();
}

/** The trainer (or an admin) withdraws a sent link: it stops working at once. */
export async function revokeShare(db: DB, actor: Actor, shareId: string, now: Date): Promise<Result> {
  if (actor.role !== "trainer" && actor.role !== "admin") return refuse(403, "Only the trainer or an admin can withdraw a link.");
  const share = await db.selectFrom("oversight_report_share").selectAll().where("id", "=", shareId).executeTakeFirst();
  if (!share || (actor.role === "trainer" && share.trainer_user_id !== actor.id)) return refuse(404, "There is no such link.");
  if (shareState(share, now) !== "sent") return refuse(409, "Only a link that works can be withdrawn.");
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("oversight_report_share").set({ revoked_at: iso(now), revoked_by_user_id: actor.id }).where("id", "=", share.id).execute();
    await recordAudit(trx, { actorUserId: actor.id, action: "oversight_report.withdrawn", subjectType: "user", subjectId: String(share.trainer_user_id), details: { recipient: share.recipient_name } }, now);
  });
  return ok();
}

/**
 * What a recipient's link opens: the report, read now, if the link is genuine, sent, unexpired
 * and not withdrawn. Unknown, malformed, expired and withdrawn links get the same null.
 */
export async function openSharedReport(db: DB, token: string, now: Date, count = true): Promise<{ report: OversightReport; recipientName: string; expiresAt: string } | null> {
  const parts = splitToken(token);
  if (!parts) return null;
  const share = await db.selectFrom("oversight_report_share").selectAll().where("id", "=", parts.id).executeTakeFirst();
  if (!share || !secretMatchesHash(parts.secret, share.secret_hash) || shareState(share, now) !== "sent") return null;
  const report = await buildOversightReport(db, share.trainer_user_id, now);
  if (!report) return null;
  if (count) {
    await db
      .updateTable("oversight_report_share")
      .set((eb) => ({ view_count: eb("view_count", "+", 1), last_viewed_at: iso(now) }))
      .where("id", "=", share.id)
      .execute();
  }
  return { report, recipientName: share.recipient_name, expiresAt: share.expires_at! };
}
