/**
 * Issue 13 item 10: the staff trainer page shows each certificate's whole history, including a
 * suspension that was later lifted (before, only a current suspension showed; a reinstated one
 * was left to the capped audit list).
 */
import { describe, expect, it } from "vitest";
import { registerModuleVersions } from "~/content/catalog.server";
import { reinstateCertificate, revokeCertificate, suspendCertificate } from "~/certificates/admin.server";
import { getTrainerOverview } from "~/staff/trainer-overview.server";
import { certificateHistory } from "~/staff/trainer-overview-ui";
import { DAY, addMs } from "~/utils/clock";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createTestDb, createUser } from "../helpers/db";

const now = new Date("2026-06-01T09:00:00Z");

describe("the staff trainer page's certificate history", () => {
  it("lists every staff decision with its reason, oldest first, even once the suspension is lifted", async () => {
    const db = await createTestDb();
    await registerModuleVersions(db, now);
    const admin = await createUser(db, { role: "admin" });
    const seeded = await seedCertifiedTrainer(db, { name: "Hana History", email: "hana@example.test", password: "seeded password 1", staffUserId: admin.id }, "http://academy.test", now);
    expect((await suspendCertificate(db, admin.id, seeded.certificateId, "Insurer query under review", addMs(now, DAY))).ok).toBe(true);
    expect((await reinstateCertificate(db, admin.id, seeded.certificateId, "Insurer confirmed cover", addMs(now, 2 * DAY))).ok).toBe(true);
    const lifted = await getTrainerOverview(db, { id: seeded.userId }, "admin", addMs(now, 3 * DAY));
    const text = certificateHistory(lifted.certificates[0]!);
    expect(text).toMatch(/^Issued .*; suspended .* \(Insurer query under review\); reinstated .* \(Insurer confirmed cover\)$/);
    expect((await revokeCertificate(db, admin.id, seeded.certificateId, "Practised outside scope", addMs(now, 4 * DAY))).ok).toBe(true);
    const revoked = certificateHistory((await getTrainerOverview(db, { id: seeded.userId }, "admin", addMs(now, 5 * DAY))).certificates[0]!);
    expect(revoked).toMatch(/reinstated .*; revoked .* \(Practised outside scope\)$/);
    expect(revoked.match(/revoked/g)).toHaveLength(1);
    await db.destroy();
  });
});
