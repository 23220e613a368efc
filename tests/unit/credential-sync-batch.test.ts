/**
 * The start-up credential backfill and the hourly credential sync are set-based (issue 19,
 * ADR 0014): one query finds the work, credentials are signed and stored in batches, revocation
 * bits are set a thousand per transaction. Each test checks the outcome certificate by
 * certificate against the one-certificate rule (`liveStatusOf`, the pure rule fed by the facts
 * loader), and that the number of SQL statements does not grow with the amount of work.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { liveStatusOf } from "~/certificates/public.server";
import { revocationReasonFor, syncCredentialStatuses, upgradeCertificatesToOpenBadges } from "~/certificates/credentials/sync.server";
import { issueCredentials } from "~/certificates/credentials/issue-credential.server";
import { growAcademy, type seedContext } from "../../scripts/lib/seed-scale";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import type { recordingDb } from "../helpers/query-plan";
import { openScaleDb } from "../helpers/scale-db";

const BASE = "http://academy.test";
const now = new Date("2026-06-01T09:00:00Z");
let db: DB;
let record: ReturnType<typeof recordingDb>["record"];
let ctx: Awaited<ReturnType<typeof seedContext>>;

/** Every certificate's credentials against the one-at-a-time rule: one live one exactly when it should have one, revoked with the rule's reason otherwise. */
async function expectCredentialsFollowTheRule() {
  const certs = await db.selectFrom("certificate").select(["id", "user_id", "revoked_at", "superseded_by", "suspended_at", "suspension_category", "expires_on", "validity_ends_on"]).execute();
  const credentials = await db.selectFrom("issued_credential").select(["certificate_id", "revoked_at", "revocation_reason", "json", "status_list_id", "status_index"]).execute();
  expect(new Set(credentials.map((c) => `${c.status_list_id}:${c.status_index}`)).size).toBe(credentials.length);
  for (const cert of certs) {
    const live = await liveStatusOf(db, cert, now);
    const own = credentials.filter((c) => c.certificate_id === cert.id);
    expect(own.length, cert.id).toBeGreaterThanOrEqual(1);
    expect(own.every((c) => c.json !== null)).toBe(true);
    const unrevoked = own.filter((c) => c.revoked_at === null);
    const reason = revocationReasonFor(live);
    if (reason) {
      expect(unrevoked, `${cert.id} (${live.status})`).toHaveLength(0);
      expect(own.map((c) => c.revocation_reason)).toContain(reason);
    } else if (live.status === "valid") expect(unrevoked, `${cert.id} valid`).toHaveLength(1);
  }
  return certs.length;
}

beforeAll(async () => {
  const opened = await openScaleDb(now);
  ({ db, record, ctx } = opened);
  const staff = opened.staff;
  // An academy already issuing: its key, status list and a first credential exist (the real flow).
  await seedCertifiedTrainer(db, { name: "First Trainer", email: "first@example.test", password: "seeded password 1", staffUserId: staff[0]!.id }, BASE, now);
});

describe("the start-up backfill", () => {
  it("gives every certificate its credential, revoked at once when not valid, in the same number of statements for 20 or 80 trainers", async () => {
    await growAcademy(db, { from: 0, to: 20 }, ctx);
    const few = await record((db) => upgradeCertificatesToOpenBadges(db, BASE, now));
    await growAcademy(db, { from: 20, to: 100 }, ctx);
    const many = await record((db) => upgradeCertificatesToOpenBadges(db, BASE, now));
    expect(many.result).toBeGreaterThan(few.result * 3);
    expect(many.queries.length).toBe(few.queries.length);
    const certs = await expectCredentialsFollowTheRule();
    expect(certs).toBe(few.result + many.result + 1);
    // Some of the seeded certificates are superseded, revoked or suspended: their credentials were stored revoked.
    expect(await db.selectFrom("issued_credential").select("id").where("revoked_at", "is not", null).execute()).not.toHaveLength(0);
    // Idempotent: nothing left to do.
    expect(await upgradeCertificatesToOpenBadges(db, BASE, now)).toBe(0);
    expect((await syncCredentialStatuses(db, BASE, now)).revoked).toBe(0);
  }, 120_000);
});

describe("the hourly sync", () => {
  /** Trainers holding a valid certificate today, whose insurance is then withdrawn. */
  async function lapseInsurance(count: number, skip: number) {
    const valid = [];
    for (const cert of await db.selectFrom("certificate").select(["id", "user_id", "revoked_at", "superseded_by", "suspended_at", "suspension_category", "expires_on", "validity_ends_on"]).orderBy("id").execute()) {
      if ((await liveStatusOf(db, cert, now)).status === "valid") valid.push(cert.user_id);
    }
    const users = valid.slice(skip, skip + count);
    await db.updateTable("insurance_policy").set({ status: "rejected" }).where("user_id", "in", users).execute();
    return users;
  }

  it("revokes lapsed certificates' credentials in the same number of statements for 2 or 20 of them, and issues a new one when the evidence is back", async () => {
    await lapseInsurance(2, 0);
    const few = await record((db) => syncCredentialStatuses(db, BASE, now));
    expect(few.result.revoked).toBe(2);
    const users = await lapseInsurance(20, 0);
    const many = await record((db) => syncCredentialStatuses(db, BASE, now));
    expect(many.result.revoked).toBe(20);
    expect(many.queries.length).toBe(few.queries.length);
    const reasons = await db.selectFrom("issued_credential").innerJoin("certificate", "certificate.id", "issued_credential.certificate_id").select("issued_credential.revocation_reason").where("certificate.user_id", "in", users).where("certificate.superseded_by", "is", null).execute();
    expect(reasons.map((r) => r.revocation_reason)).toContain("certificate suspended (insurance lapsed)");
    await expectCredentialsFollowTheRule();

    // The insurance is verified again: each certificate is valid again and gets a fresh credential (the old one stays revoked).
    await db.updateTable("insurance_policy").set({ status: "verified" }).where("user_id", "in", users.slice(0, 3)).execute();
    const back = await record((db) => syncCredentialStatuses(db, BASE, now));
    await db.updateTable("insurance_policy").set({ status: "verified" }).where("user_id", "in", users.slice(3)).execute();
    const allBack = await record((db) => syncCredentialStatuses(db, BASE, now));
    expect(back.result).toMatchObject({ revoked: 0, issued: 3 });
    expect(allBack.result).toMatchObject({ revoked: 0, issued: 17 });
    expect(allBack.queries.length).toBe(back.queries.length);
    await expectCredentialsFollowTheRule();
    expect(await syncCredentialStatuses(db, BASE, now)).toMatchObject({ revoked: 0, issued: 0 });
  }, 120_000);
});

describe("batched issue under a race", () => {
  it("two batches issuing for the same certificates at once leave each one live credential on its own index", async () => {
    await growAcademy(db, { from: 100, to: 130 }, ctx);
    const subjects = await db
      .selectFrom("certificate")
      .innerJoin("user", "user.id", "certificate.user_id")
      .select(["certificate.id", "certificate.trainer_name", "certificate.issued_at", "certificate.expires_on", "certificate.modules_json", "certificate.report_json", "certificate.scope_json", "certificate.agreement_version", "user.email"])
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom("issued_credential").select("issued_credential.id").whereRef("issued_credential.certificate_id", "=", "certificate.id"))))
      .execute();
    expect(subjects.length).toBeGreaterThan(10);
    const batch = subjects.map((s) => ({ cert: s, email: s.email, revocationReason: null }));
    const [a, b] = await Promise.all([issueCredentials(db, batch, BASE, now), issueCredentials(db, batch, BASE, now)]);
    // Every certificate got exactly one live credential, whichever batch stored it.
    expect(a + b).toBe(subjects.length);
    const live = await db.selectFrom("issued_credential").select(["certificate_id", "json"]).where("certificate_id", "in", subjects.map((s) => s.id)).where("revoked_at", "is", null).execute();
    expect(live.map((l) => l.certificate_id).sort()).toEqual(subjects.map((s) => s.id).sort());
    expect(live.every((l) => l.json !== null)).toBe(true);
  }, 120_000);
});
