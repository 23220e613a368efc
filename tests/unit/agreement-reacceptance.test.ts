/**
 * A new agreement version and its re-acceptance window (issue 9, ADR 0015): certified trainers
 * on an older version are told once (audited, emailed through the outbox), stay valid inside the
 * window, read "suspended — agreement not accepted" after it (public view, admin list, and the
 * credential's status-list bit a relying party checks), and are valid again with the new scope
 * once they accept. The window is an audited policy setting.
 */
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { DAY, addMs } from "~/utils/clock";
import { registerModuleVersions } from "~/content/catalog.server";
import { getCurrentAgreement } from "~/agreement/agreement.server";
import { acceptAgreement } from "~/approval/approval.server";
import { getAgreementRule, reacceptanceNotice, runAgreementJobs } from "~/agreement/reacceptance.server";
import { getPublicCertificateView } from "~/certificates/public.server";
import { listCertificatePage, parseCertificateListQuery } from "~/certificates/list.server";
import { syncCredentialStatuses } from "~/certificates/credentials/sync.server";
import { eligibilityKey } from "~/certificates/issue.server";
import { loadTrainerFacts } from "~/certificates/facts.server";
import { verifyCredentialForRelyingParty } from "~/certificates/credentials/verify-credential.server";
import { getPolicy, updatePolicy } from "~/policy/policy.server";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createTestDb, createUser } from "../helpers/db";

const BASE = "http://academy.test";
const now = new Date("2026-06-01T09:00:00Z");
const at = (days: number) => addMs(now, days * DAY);
/** The version before the current one, as compiled when it was published. */
const PREVIOUS_AGREEMENT = JSON.parse(fs.readFileSync("tests/fixtures/agreement-previous/agreement.json", "utf8")) as { version: string; may: string[]; mayNot: string[] };
const PREVIOUS = PREVIOUS_AGREEMENT.version;
const NEW_SCOPE = "Manually lift a client or take their full body weight, in any circumstances.";

let db: DB;
let staffId: number;
let n = 0;

/** A trainer certified on the previous agreement version (as if certified before it changed). */
async function certifiedOnPrevious() {
  n += 1;
  const trainer = await seedCertifiedTrainer(db, { name: `Agreement Trainer ${n}`, email: `agreement${n}@example.test`, password: "seeded password 1", staffUserId: staffId }, BASE, now);
  await db.updateTable("agreement_acceptance").set({ agreement_version: PREVIOUS }).where("user_id", "=", trainer.userId).execute();
  await db
    .updateTable("certificate")
    .set({
      agreement_version: PREVIOUS,
      scope_json: JSON.stringify({ may: PREVIOUS_AGREEMENT.may, mayNot: PREVIOUS_AGREEMENT.mayNot }),
      eligibility_key: eligibilityKey(await loadTrainerFacts(db, trainer.userId)),
    })
    .where("id", "=", trainer.certificateId)
    .execute();
  return trainer;
}

const view = (id: string, when: Date) => getPublicCertificateView(db, id, when);
const credentialJson = async (certificateId: string) =>
  JSON.parse((await db.selectFrom("issued_credential").select("json").where("certificate_id", "=", certificateId).orderBy("issued_at", "desc").executeTakeFirstOrThrow()).json!) as Record<string, unknown>;

beforeAll(async () => {
  db = await createTestDb();
  await registerModuleVersions(db, now);
  staffId = (await createUser(db, { role: "assessor" })).id;
  expect(PREVIOUS).not.toBe(getCurrentAgreement()!.version);
});

describe("the re-acceptance window", () => {
  it("tells the trainer once, keeps the certificate valid inside the window, suspends it after, and restores it with the new scope on acceptance", async () => {
    const trainer = await certifiedOnPrevious();
    const rule = (await getAgreementRule(db, now))!;
    expect(rule.windowDays).toBe(30);
    expect(rule.windowEndsOn).toBe("2026-07-01");
    const audit = await db.selectFrom("audit_event").select(["action", "subject_id"]).where("action", "=", "agreement.published").execute();
    expect(audit).toEqual([{ action: "agreement.published", subject_id: rule.currentVersion }]);

    // Told once: an audited reminder and an email in the outbox; a second run sends nothing.
    const first = await runAgreementJobs(db, now, BASE);
    expect(first.told).toBeGreaterThanOrEqual(1);
    expect(await runAgreementJobs(db, at(1), BASE)).toEqual({ told: 0, suspended: 0 });
    const user = await db.selectFrom("user").select("email").where("id", "=", trainer.userId).executeTakeFirstOrThrow();
    const emails = await db.selectFrom("email_outbox").select(["subject", "body_text"]).where("to_address", "=", user.email).execute();
    expect(emails.map((e) => e.subject)).toContain("A new version of the scope of practice agreement");
    expect(emails.find((e) => e.subject.startsWith("A new version"))!.body_text).toContain("30 June 2026");
    const told = await db.selectFrom("audit_event").select("details").where("action", "=", "reminder.agreement_new_version").where("subject_id", "=", String(trainer.userId)).execute();
    expect(told).toHaveLength(1);
    expect(await reacceptanceNotice(db, trainer.userId, at(29))).toMatchObject({ label: "2026.2", acceptBy: "2026-06-30", overdue: false });

    // Inside the window: valid, with the scope the trainer accepted.
    const inside = await view(trainer.certificateId, at(29));
    expect(inside).toMatchObject({ status: "valid", reason: null });
    expect(inside!.scope.mayNot).not.toContain(NEW_SCOPE);
    expect(inside!.scope.agreementVersion).toBe("2026.1");
    const credential = await credentialJson(trainer.certificateId);
    expect((await syncCredentialStatuses(db, BASE, at(29))).revoked).toBe(0);
    expect((await verifyCredentialForRelyingParty(db, credential, BASE, at(29))).headline).toMatch(/^Valid/);

    // From the day the window ends: suspended, in the public view, the admin list and the credential.
    expect(await view(trainer.certificateId, at(30))).toMatchObject({ status: "suspended", statusLabel: "Suspended", reason: "agreement not accepted" });
    const suspendedPage = await listCertificatePage(db, parseCertificateListQuery(new URLSearchParams("status=suspended")), at(30));
    expect(suspendedPage.items.find((i) => i.id === trainer.certificateId)?.live).toEqual({ status: "suspended", reason: "agreement not accepted" });
    expect((await syncCredentialStatuses(db, BASE, at(30))).revoked).toBeGreaterThanOrEqual(1);
    const revoked = await db.selectFrom("issued_credential").select("revocation_reason").where("certificate_id", "=", trainer.certificateId).executeTakeFirstOrThrow();
    expect(revoked.revocation_reason).toBe("certificate suspended (agreement not accepted)");
    expect((await verifyCredentialForRelyingParty(db, credential, BASE, at(30))).headline).toBe("Revoked");
    expect((await runAgreementJobs(db, at(30), BASE)).suspended).toBeGreaterThanOrEqual(1);
    expect(await db.selectFrom("audit_event").select("id").where("action", "=", "reminder.agreement_not_accepted").where("subject_id", "=", String(trainer.userId)).execute()).toHaveLength(1);
    expect(await reacceptanceNotice(db, trainer.userId, at(30))).toMatchObject({ overdue: true });

    // Accepting the current version: a new certificate with the new scope supersedes the old one.
    const accepted = await acceptAgreement(db, { id: trainer.userId, name: `Agreement Trainer ${n}` }, { typedName: `Agreement Trainer ${n}`, version: getCurrentAgreement()!.version }, at(31));
    expect(accepted.ok).toBe(true);
    const renewedId = (accepted as { value: { certificateId: string } }).value.certificateId;
    expect(renewedId).toMatch(/^[a-z2-7]{32}$/);
    expect(await view(trainer.certificateId, at(31))).toMatchObject({ status: "superseded", supersededBy: renewedId });
    const renewed = await view(renewedId, at(31));
    expect(renewed).toMatchObject({ status: "valid" });
    expect(renewed!.scope.mayNot).toContain(NEW_SCOPE);
    expect(renewed!.scope.agreementVersion).toBe(getCurrentAgreement()!.versionLabel);
    expect((await verifyCredentialForRelyingParty(db, await credentialJson(renewedId), BASE, at(31))).headline).toMatch(/^Valid/);
    expect(await reacceptanceNotice(db, trainer.userId, at(31))).toBeNull();
  }, 60_000);

  it("the window is an audited policy setting, and widening it restores a trainer inside the new window", async () => {
    const trainer = await certifiedOnPrevious();
    expect(await view(trainer.certificateId, at(45))).toMatchObject({ status: "suspended", reason: "agreement not accepted" });
    const admin = await createUser(db, { role: "admin" });
    await updatePolicy(db, admin.id, { ...(await getPolicy(db)), agreementReacceptanceDays: 60 }, at(45));
    const changed = await db.selectFrom("audit_event").select("details").where("action", "=", "policy.updated").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(JSON.parse(changed.details!)).toEqual({ agreementReacceptanceDays: { from: 30, to: 60 } });
    expect(await view(trainer.certificateId, at(46))).toMatchObject({ status: "valid" });
    expect(await view(trainer.certificateId, at(60))).toMatchObject({ status: "suspended", reason: "agreement not accepted" });
  }, 60_000);
});
