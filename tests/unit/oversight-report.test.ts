/**
 * The oversight report for commissioners (issue 15 item 4, ADR 0043): what it holds (and never
 * holds), who may send it, the trainer's approval of an admin's request, the link's life (works
 * once sent; not before, not with a wrong secret, not once expired or withdrawn), the daily limit,
 * the audit trail, and the PDF's text. On either engine.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { registerModuleVersions } from "~/content/catalog.server";
import { reinstateCertificate, suspendCertificate } from "~/certificates/admin.server";
import { SHARES_PER_DAY } from "~/certificates/oversight-report";
import { answerRequest, buildOversightReport, listShares, openSharedReport, requestShare, revokeShare } from "~/certificates/oversight-report.server";
import { renderOversightReportPdf } from "~/certificates/oversight-report-pdf.server";
import { assignSupervisor, recordSession } from "~/supervision/supervision.server";
import type { SessionInput } from "~/supervision/validation";
import { DAY, addMs } from "~/utils/clock";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createTestDb, createUser } from "../helpers/db";

const BASE = "https://academy.test";
const now = new Date("2026-06-01T09:00:00Z");
const SUMMARY = "Talked through a distressing fall at Mrs Example's home and the debrief that followed.";

type Actor = { id: number; role: "trainer" | "assessor" | "admin" };
let db: DB;
let admin: Actor;
let supervisor: Actor;
let trainer: Actor;
let otherTrainer: Actor;
let certificateId: string;

const session = (heldOn: string, nextDueOn: string): SessionInput => ({ heldOn, mode: "video", topics: ["cases", "wellbeing"], summary: SUMMARY, actions: [], nextDueOn });
const recipient = { recipientName: "Casey Manager", recipientOrganisation: "North Case Management Ltd", recipientEmail: "casey@cases.example" };

/** The link in the newest email to `to`, if any. */
async function linkSentTo(to: string): Promise<string | null> {
  const mail = await db.selectFrom("email_outbox").select("body_text").where("to_address", "=", to).orderBy("id", "desc").executeTakeFirst();
  const match = mail?.body_text.match(/\/oversight\/([A-Za-z0-9._-]+)/);
  return match ? match[1]! : null;
}

beforeAll(async () => {
  db = await createTestDb();
  await registerModuleVersions(db, now);
  admin = { id: (await createUser(db, { role: "admin" })).id, role: "admin" };
  supervisor = { id: (await createUser(db, { role: "assessor", name: "Sam Supervisor" })).id, role: "assessor" };
  const seeded = await seedCertifiedTrainer(db, { name: "Zoë Ångström-Nakamura", email: "zoe@example.test", password: "seeded password 1", staffUserId: supervisor.id }, BASE, now);
  certificateId = seeded.certificateId;
  trainer = { id: (await db.selectFrom("user").select("id").where("email", "=", "zoe@example.test").executeTakeFirstOrThrow()).id, role: "trainer" };
  otherTrainer = { id: (await createUser(db, { role: "trainer", name: "Other Trainer" })).id, role: "trainer" };
  expect((await assignSupervisor(db, admin, trainer.id, supervisor.id, BASE, now)).ok).toBe(true);
  expect((await recordSession(db, supervisor, trainer.id, session("2026-06-01", "2026-09-01"), BASE, now)).ok).toBe(true);
  expect((await recordSession(db, supervisor, trainer.id, session("2026-09-01", "2026-12-01"), BASE, addMs(now, 92 * DAY))).ok).toBe(true);
  expect((await suspendCertificate(db, admin.id, certificateId, "Insurer query being checked by the governance lead", addMs(now, 100 * DAY))).ok).toBe(true);
  expect((await reinstateCertificate(db, admin.id, certificateId, "Insurer confirmed cover in writing", addMs(now, 101 * DAY))).ok).toBe(true);
});

describe("what the report holds", () => {
  it("the certificate with its live status and history, the training with versions, and supervision dates only", async () => {
    const report = (await buildOversightReport(db, trainer.id, addMs(now, 102 * DAY)))!;
    expect(report.trainerName).toBe("Zoë Ångström-Nakamura");
    expect(report.certificate).toMatchObject({ id: certificateId, status: "valid" });
    expect(report.certificate!.history.map((e) => e.event)).toEqual(["issued", "suspended", "reinstated"]);
    expect(report.certificate!.modules.length).toBe(4);
    for (const m of report.certificate!.modules) expect(m.version).toMatch(/\S/);
    expect(report.supervision).toEqual({ assigned: true, sessionDates: ["2026-09-01", "2026-06-01"] });
    expect(report.earlier).toEqual([]);
  });

  it("holds nothing private: no email address, supervisor, session note or staff reason", async () => {
    const json = JSON.stringify(await buildOversightReport(db, trainer.id, addMs(now, 102 * DAY)));
    for (const secret of ["zoe@example.test", "Sam Supervisor", SUMMARY, "Mrs Example", "Insurer query", "Insurer confirmed", "wellbeing"]) expect(json).not.toContain(secret);
  });

  it("is null for someone who is not a trainer", async () => {
    expect(await buildOversightReport(db, admin.id, now)).toBeNull();
  });
});

describe("sending it", () => {
  it("the trainer sends it: the recipient gets a working link, counted when opened, audited", async () => {
    const sent = await requestShare(db, trainer, trainer.id, recipient, BASE, now);
    expect(sent).toMatchObject({ ok: true, value: { sent: true } });
    const token = (await linkSentTo(recipient.recipientEmail))!;
    expect(token).toBeTruthy();
    const opened = await openSharedReport(db, token, addMs(now, DAY));
    expect(opened?.report.certificate?.id).toBe(certificateId);
    expect(opened?.recipientName).toBe("Casey Manager");
    const [share] = await listShares(db, trainer.id, addMs(now, DAY));
    expect(share).toMatchObject({ state: "sent", viewCount: 1, requestedByAdmin: false });
    const audit = await db.selectFrom("audit_event").select(["action", "actor_user_id"]).where("action", "like", "oversight_report.%").execute();
    expect(audit).toEqual([{ action: "oversight_report.sent", actor_user_id: trainer.id }]);
  });

  it("a link opens nothing with a wrong secret, after expiry, or once withdrawn", async () => {
    const token = (await linkSentTo(recipient.recipientEmail))!;
    const [id] = token.split(".");
    expect(await openSharedReport(db, `${id}.wrongsecretwrongsecretwrongsecr`, now)).toBeNull();
    expect(await openSharedReport(db, "not-a-token", now)).toBeNull();
    expect(await openSharedReport(db, token, addMs(now, 31 * DAY))).toBeNull();
    expect(await openSharedReport(db, token, addMs(now, 29 * DAY))).not.toBeNull();
    // Another trainer cannot withdraw it; its trainer can, and then it opens nothing.
    expect(await revokeShare(db, otherTrainer, id!, now)).toMatchObject({ ok: false, status: 404 });
    expect((await revokeShare(db, trainer, id!, now)).ok).toBe(true);
    expect(await openSharedReport(db, token, addMs(now, DAY))).toBeNull();
    expect(await revokeShare(db, trainer, id!, now)).toMatchObject({ ok: false, status: 409 });
  });

  it("an admin's request waits for the trainer: nothing is sent until they approve; they are told", async () => {
    const email = "sol@law.example";
    const asked = await requestShare(db, admin, trainer.id, { ...recipient, recipientEmail: email, recipientName: "Sol Icitor" }, BASE, now);
    expect(asked).toMatchObject({ ok: true, value: { sent: false } });
    expect(await linkSentTo(email)).toBeNull();
    const notice = await db.selectFrom("notification").select(["kind", "link"]).where("user_id", "=", trainer.id).where("kind", "=", "oversight_report").executeTakeFirst();
    expect(notice).toEqual({ kind: "oversight_report", link: "/oversight-report" });
    const shareId = asked.ok ? asked.value.shareId : "";
    // Only the trainer answers, once.
    expect(await answerRequest(db, admin, shareId, true, BASE, now)).toMatchObject({ ok: false, status: 403 });
    expect(await answerRequest(db, otherTrainer, shareId, true, BASE, now)).toMatchObject({ ok: false, status: 404 });
    expect((await answerRequest(db, trainer, shareId, true, BASE, now)).ok).toBe(true);
    expect(await answerRequest(db, trainer, shareId, false, BASE, now)).toMatchObject({ ok: false, status: 409 });
    const token = (await linkSentTo(email))!;
    expect((await openSharedReport(db, token, now))?.recipientName).toBe("Sol Icitor");
    expect(await db.selectFrom("audit_event").select("action").where("action", "in", ["oversight_report.requested", "oversight_report.sent"]).where("actor_user_id", "in", [admin.id, trainer.id]).execute()).toHaveLength(3);
  });

  it("a declined request sends nothing", async () => {
    const email = "declined@law.example";
    const asked = await requestShare(db, admin, trainer.id, { ...recipient, recipientEmail: email }, BASE, now);
    expect((await answerRequest(db, trainer, asked.ok ? asked.value.shareId : "", false, BASE, now)).ok).toBe(true);
    expect(await linkSentTo(email)).toBeNull();
    expect((await listShares(db, trainer.id, now)).find((s) => s.recipientEmail === email)?.state).toBe("declined");
  });

  it("only the trainer or an admin may send it", async () => {
    expect(await requestShare(db, supervisor, trainer.id, recipient, BASE, now)).toMatchObject({ ok: false, status: 403 });
    expect(await requestShare(db, otherTrainer, trainer.id, recipient, BASE, now)).toMatchObject({ ok: false, status: 403 });
    expect(await requestShare(db, admin, supervisor.id, recipient, BASE, now)).toMatchObject({ ok: false, status: 404 });
  });

  it(`at most ${SHARES_PER_DAY} in 24 hours for one trainer, with the reason next to the email field`, async () => {
    const day = addMs(now, 200 * DAY);
    for (let i = 0; i < SHARES_PER_DAY; i += 1) expect((await requestShare(db, trainer, trainer.id, { ...recipient, recipientEmail: `r${i}@cases.example` }, BASE, day)).ok).toBe(true);
    const refused = await requestShare(db, trainer, trainer.id, recipient, BASE, day);
    expect(refused).toMatchObject({ ok: false, status: 400 });
    expect(!refused.ok && refused.fieldErrors.recipientEmail).toMatch(/At most 10/);
    expect((await requestShare(db, trainer, trainer.id, recipient, BASE, addMs(day, DAY + 1000))).ok).toBe(true);
  });
});

describe("the PDF", () => {
  it("carries the name, status, history, training and session dates, and nothing private", async () => {
    const report = (await buildOversightReport(db, trainer.id, addMs(now, 102 * DAY)))!;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "oversight-")), "report.pdf");
    fs.writeFileSync(file, await renderOversightReportPdf(report, BASE));
    const text = execFileSync("pdftotext", [file, "-"]).toString().replace(/\s+/g, " ");
    for (const expected of ["Zoë Ångström-Nakamura", "Status: Valid", "Suspended by the framework", "Reinstated", "1 June 2026", "1 September 2026", `${BASE}/verify/${certificateId}`, report.certificate!.modules[0]!.title]) {
      expect(text).toContain(expected);
    }
    for (const secret of ["zoe@example.test", "Sam Supervisor", "Mrs Example", "Insurer query"]) expect(text).not.toContain(secret);
  });
});
