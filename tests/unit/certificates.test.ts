import { beforeAll, describe, expect, it } from "vitest";
import { PDFDocument } from "pdf-lib";
import type { DB } from "~db/connection";
import { issueCertificateIfEligible } from "~/certificates/issue.server";
import { finish, reevaluate } from "~/approval/approval.server";
import { getPublicCertificateView, liveStatusOf } from "~/certificates/public.server";
import { revokeCertificate, suspendCertificate, reinstateCertificate } from "~/certificates/admin.server";
import { registerModuleVersions } from "~/content/catalog.server";
import { iso, DAY, addMs } from "~/utils/clock";
import { addDays, dateOf, londonDayOf } from "~/utils/dates";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createTestDb, createUser } from "../helpers/db";
import { addRenewedInsurance } from "../helpers/renewal";

let db: DB;
let staffId: number;
const now = new Date("2026-06-01T09:00:00Z");
let n = 0;
const seed = (overrides: { name?: string; insuranceEndsOn?: string; acceptAgreement?: boolean } = {}) => {
  n += 1;
  return seedCertifiedTrainer(db, { name: overrides.name ?? `Trainer ${n}`, email: `certified${n}@example.test`, password: "seeded password 1", staffUserId: staffId, insuranceEndsOn: overrides.insuranceEndsOn, acceptAgreement: overrides.acceptAgreement }, "http://academy.test", now);
};

beforeAll(async () => {
  db = await createTestDb();
  await registerModuleVersions(db, now);
  staffId = (await createUser(db, { role: "assessor" })).id;
});

describe("the day is the UK day (issue 16.14)", () => {
  it("a certificate expiring on 30 June reads expired from 00:30 on 30 June in summer time, while UTC still says 29 June", async () => {
    const trainer = await seed({ insuranceEndsOn: "2026-06-30" });
    const cert = await db.selectFrom("certificate").selectAll().where("id", "=", trainer.certificateId).executeTakeFirstOrThrow();
    expect(cert.expires_on).toBe("2026-06-30");
    // 23:30 on 29 June in London (22:30 UTC): the day before.
    expect(await liveStatusOf(db, cert, new Date("2026-06-29T22:30:00Z"))).toEqual({ status: "valid", reason: null });
    // 00:30 on 30 June in London (23:30 UTC on 29 June).
    expect(await liveStatusOf(db, cert, new Date("2026-06-29T23:30:00Z"))).toEqual({ status: "expired", reason: "the expiry date has passed" });
    expect(await getPublicCertificateView(db, trainer.certificateId, new Date("2026-06-29T23:30:00Z"))).toMatchObject({ status: "expired" });
  });
});

describe("issuing certificates", () => {
  it("issues once when the last requirement is met, with a stored PDF and a verifiable signed credential", async () => {
    const trainer = await seed({ name: "Zoë Ó Briain-Łukasiewicz" });
    const rows = await db.selectFrom("certificate").selectAll().where("user_id", "=", trainer.userId).execute();
    expect(rows).toHaveLength(1);
    const cert = rows[0]!;
    expect(cert.id).toMatch(/^[a-z2-7]{32}$/);
    expect(cert.trainer_name).toBe("Zoë Ó Briain-Łukasiewicz");
    expect(cert.expires_on).toBe(addDays(dateOf(now), 300));
    expect(cert.expiry_basis).toBe("insurance end date");
    expect(JSON.parse(cert.modules_json)).toHaveLength(4);
    const pdf = await PDFDocument.load(cert.pdf!);
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getPage(0).getWidth()).toBeGreaterThan(pdf.getPage(0).getHeight());
    expect(pdf.getTitle()).toContain("Zoë Ó Briain-Łukasiewicz");
    const credentials = await db.selectFrom("issued_credential").selectAll().where("certificate_id", "=", cert.id).execute();
    expect(credentials).toHaveLength(1);
    expect(JSON.parse(credentials[0]!.json!).description).toContain(`/verify/${cert.id}`);
    const audit = await db.selectFrom("audit_event").select("action").where("subject_id", "=", cert.id).execute();
    expect(audit.map((a) => a.action)).toEqual(["certificate.issued"]);
    // The same facts again: nothing new.
    expect(await issueCertificateIfEligible(db, trainer.userId, addMs(now, DAY))).toEqual({ issued: false, reason: "already certified on these facts" });
  });

  // The real race, several processes each with its own connection, is tests/unit/races.test.ts (and
  // concurrency-postgres.test.ts on PostgreSQL); here the calls share one connection, which runs them in turn.
  it("the same trigger arriving three times issues one certificate", async () => {
    const trainer = await seed({ acceptAgreement: false });
    const { getCurrentAgreement } = await import("~/agreement/agreement.server");
    await db.insertInto("agreement_acceptance").values({ user_id: trainer.userId, agreement_version: getCurrentAgreement()!.version, typed_name: "x", accepted_at: iso(now) }).execute();
    const results = await Promise.all([issueCertificateIfEligible(db, trainer.userId, now), issueCertificateIfEligible(db, trainer.userId, now), issueCertificateIfEligible(db, trainer.userId, now)]);
    expect(results.filter((r) => r.issued)).toHaveLength(1);
    expect(await db.selectFrom("certificate").select("id").where("user_id", "=", trainer.userId).execute()).toHaveLength(1);
  });

  it("is not issued while anything is missing", async () => {
    const trainer = await seed({ acceptAgreement: false });
    const result = await issueCertificateIfEligible(db, trainer.userId, now);
    expect(result).toEqual({ issued: false, reason: "agreement" });
  });

  it("renewed insurance issues a new certificate and the old one reads superseded, pointing to it", async () => {
    const trainer = await seed({ insuranceEndsOn: addDays(dateOf(now), 20) });
    const later = addMs(now, 30 * DAY);
    const lapsed = await getPublicCertificateView(db, trainer.certificateId, later);
    expect(lapsed).toMatchObject({ status: "suspended", statusLabel: "Suspended", reason: "insurance lapsed" });

    await addRenewedInsurance(db, trainer.userId, staffId, later);
    // What a verification decision does: issue in its transaction, then finish after commit.
    const renewed = await db.transaction().execute((trx) => reevaluate(trx, trainer.userId, later));
    if (!renewed.issued) throw new Error(`not renewed: ${renewed.reason}`);
    expect(renewed.superseded).toBe(trainer.certificateId);
    await finish(db, renewed, "http://academy.test", later);
    expect(await getPublicCertificateView(db, trainer.certificateId, later)).toMatchObject({ status: "superseded", supersededBy: renewed.certificateId });
    expect(await getPublicCertificateView(db, renewed.certificateId, later)).toMatchObject({ status: "valid" });
  });

  it("an admin suspends (reversible) and revokes (final); both audited; no automatic re-issue after revocation", async () => {
    const trainer = await seed();
    const admin = await createUser(db, { role: "admin" });
    expect(await suspendCertificate(db, admin.id, trainer.certificateId, "Complaint under investigation", now)).toEqual({ ok: true, value: null });
    expect(await getPublicCertificateView(db, trainer.certificateId, now)).toMatchObject({ status: "suspended" });
    expect(await reinstateCertificate(db, admin.id, trainer.certificateId, "Investigation closed, no case", now)).toEqual({ ok: true, value: null });
    expect(await getPublicCertificateView(db, trainer.certificateId, now)).toMatchObject({ status: "valid" });
    expect(await revokeCertificate(db, admin.id, trainer.certificateId, "Serious breach of scope", now)).toEqual({ ok: true, value: null });
    expect(await getPublicCertificateView(db, trainer.certificateId, now)).toMatchObject({ status: "revoked", statusLabel: "Revoked" });
    expect(await reinstateCertificate(db, admin.id, trainer.certificateId, "try to undo it", now)).toMatchObject({ ok: false, status: 409 });
    expect(await issueCertificateIfEligible(db, trainer.userId, now)).toEqual({ issued: false, reason: "the trainer's last certificate was revoked" });
    const actions = await db.selectFrom("audit_event").select("action").where("subject_id", "=", trainer.certificateId).execute();
    expect(actions.map((a) => a.action)).toEqual(["certificate.issued", "certificate.suspended", "certificate.reinstated", "certificate.revoked"]);
    // The public status history: each decision with its day, never the reason the admin wrote.
    const view = await getPublicCertificateView(db, trainer.certificateId, addMs(now, 10_000));
    expect(view!.history.map((e) => e.event)).toEqual(["issued", "suspended", "reinstated", "revoked"]);
    expect(view!.history.every((e) => e.on === londonDayOf(iso(now)))).toBe(true);
    for (const secret of ["Complaint under investigation", "Investigation closed", "Serious breach"]) expect(JSON.stringify(view)).not.toContain(secret);
    // Issue 12 item 3: the trainer was told of the issue and of each change of status.
    const told = await db.selectFrom("notification").select(["kind", "title"]).where("user_id", "=", trainer.userId).orderBy("id").execute();
    expect(told).toEqual([
      { kind: "certificate_issued", title: "Your Approved Trainer certificate has been issued" },
      { kind: "certificate_status", title: "Your certificate has been suspended" },
      { kind: "certificate_status", title: "Your certificate has been reinstated" },
      { kind: "certificate_status", title: "Your certificate has been revoked" },
    ]);
  });

  it("a superseded certificate's history ends with its replacement", async () => {
    const trainer = await seed({ insuranceEndsOn: addDays(dateOf(now), 20) });
    await db.updateTable("certificate").set({ superseded_at: iso(addMs(now, 3 * DAY)), superseded_by: trainer.certificateId }).where("id", "=", trainer.certificateId).execute();
    const view = await getPublicCertificateView(db, trainer.certificateId, addMs(now, 4 * DAY));
    expect(view!.history.map((e) => [e.event, e.on])).toEqual([["issued", londonDayOf(iso(now))], ["superseded", londonDayOf(iso(addMs(now, 3 * DAY)))]]);
  });

  it("the public view carries no email, insurer, DBS detail or internal id", async () => {
    const trainer = await seed({ name: "Private Person" });
    const view = await getPublicCertificateView(db, trainer.certificateId, now);
    const json = JSON.stringify(view);
    expect(json).toContain("Private Person");
    // People read the module version's label; the exact content hash stays in the JSON for machines.
    for (const m of view!.modules) {
      expect(m.version).toMatch(/^\d{4}\.\d+$/);
      expect(m.contentHash).toMatch(/^[0-9a-f]{64}$/);
    }
    for (const secret of ["@example.test", "Seeded Insurance", "SEED-PL-1", "suitable", "barred", "user_id", String(trainer.userId) + ","]) expect(json).not.toContain(secret);
    expect(Object.keys(view!).sort()).toEqual(["expiresOn", "expiryBasis", "id", "issuedOn", "issuer", "modules", "name", "reason", "reportTaskPassedOn", "scope", "status", "statusLabel", "supersededBy"].concat("credentialIssuerDid", "history").sort());
    expect(await getPublicCertificateView(db, "abcdefghijklmnopqrstuvwxyz234567", now)).toBeNull();
    expect(await getPublicCertificateView(db, "../../etc/passwd", now)).toBeNull();
  });
});

describe("verification page rendering", () => {
  it("escapes everything it prints", async () => {
    const { renderCertificatePage } = await import("~/certificates/verify-http.server");
    const html = renderCertificatePage(
      {
        id: "abcdefghijklmnopqrstuvwxyz234567",
        status: "valid",
        statusLabel: "Valid",
        reason: null,
        name: '<script>alert("x")</script>',
        issuedOn: "2026-06-01",
        expiresOn: "2027-03-31",
        expiryBasis: "insurance end date",
        modules: [{ title: "<img src=x onerror=alert(1)>", passedOn: "2026-05-10", version: "2026.1", contentHash: "abcdef12" }],
        reportTaskPassedOn: "2026-05-20",
        scope: { may: ["a & b"], mayNot: ["<b>"], agreementVersion: "12345678" },
        credentialIssuerDid: null,
        issuer: "RMR",
        supersededBy: null,
        history: [{ on: "2026-06-01", event: "issued", label: "Issued" }],
      },
      "/build/app.css",
      new Date("2026-06-01T10:00:00Z"),
      { baseUrl: "https://academy.example" },
    );
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("a &amp; b");
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">');
    // Open Graph: a shared link previews the status (escaped like everything else).
    expect(html).toContain('<meta property="og:title" content="Valid: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;, Medical-Legal Approved Trainer certificate">');
    expect(html).toContain('<meta property="og:url" content="https://academy.example/verify/abcdefghijklmnopqrstuvwxyz234567">');
    expect(html).toContain('<time datetime="2026-06-01">1 June 2026</time> <span class="status-history__event">Issued</span>');
  });
});
