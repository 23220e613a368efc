/**
 * A verification-page cache miss (issue 14: "verification page, cache miss") reads the status
 * rules, then the certificate with its live-status facts and its credential's signer in one
 * query, then its status history: three statements, on either engine. Reading each fact on its
 * own took eleven. The statements are counted as they run (`countingStatements`, a Kysely plugin on the
 * real database); the view's status and reason must still be those of the per-fact rule
 * (`liveStatusOf`), for a valid, a lapsed, a suspended and a revoked certificate.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { cache, getVerificationView, isClosedView, liveStatusOf } from "~/certificates/public.server";
import { revokeCertificate, suspendCertificate } from "~/certificates/admin.server";
import { registerModuleVersions } from "~/content/catalog.server";
import { addDays } from "~/utils/dates";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createTestDb, createUser } from "../helpers/db";
import { countingStatements } from "../helpers/query-plan";

const now = new Date("2026-06-01T09:00:00Z");
const later = new Date("2026-06-01T09:10:00Z");
let db: DB;
let staffId: number;
const ids: Record<"valid" | "lapsed" | "suspended" | "revoked", string> = { valid: "", lapsed: "", suspended: "", revoked: "" };

beforeAll(async () => {
  db = await createTestDb();
  await registerModuleVersions(db, now);
  staffId = (await createUser(db, { role: "admin" })).id;
  let n = 0;
  const seed = async (insuranceEndsOn?: string) => {
    n += 1;
    return (await seedCertifiedTrainer(db, { name: `Verified Trainer ${n}`, email: `verified${n}@example.test`, password: "seeded password 1", staffUserId: staffId, insuranceEndsOn }, "http://academy.test", now)).certificateId;
  };
  ids.valid = await seed();
  // Insurance ends two days from now: lapsed by `later + 3 days`, when the views are read.
  ids.lapsed = await seed(addDays("2026-06-01", 2));
  ids.suspended = await seed();
  ids.revoked = await seed();
  expect((await suspendCertificate(db, staffId, ids.suspended, "Complaint under investigation", now, "under_review")).ok).toBe(true);
  expect((await revokeCertificate(db, staffId, ids.revoked, "Struck off", now)).ok).toBe(true);
}, 60_000); // Four certified trainers: a few seconds, more on PostgreSQL under load.

describe("a verification cache miss", () => {
  it("runs three statements, whatever the certificate's state; an unknown or malformed id runs two", async () => {
    const at = new Date(later.getTime() + 3 * 86_400_000);
    // The agreement's publication is recorded once per process, on first use: not part of a miss.
    await getVerificationView(db, ids.valid, at);
    for (const [state, id] of Object.entries(ids)) {
      cache().clear();
      const counted = countingStatements(db);
      const view = await getVerificationView(counted.db, id, at);
      expect(view && !isClosedView(view) ? view.id : null, state).toBe(id);
      expect(counted.statements, state).toEqual(["SelectQueryNode", "SelectQueryNode", "SelectQueryNode"]);
    }
    for (const id of ["abcdefghijklmnopqrstuvwxyz234567", "not an id"]) {
      cache().clear();
      const counted = countingStatements(db);
      expect(await getVerificationView(counted.db, id, at)).toBeNull();
      expect(counted.statements).toHaveLength(2);
    }
  });

  it("gives the status and reason of the per-fact rule: valid, lapsed, suspended (under review) and revoked", async () => {
    const at = new Date(later.getTime() + 3 * 86_400_000);
    const expected = { valid: "valid", lapsed: "suspended", suspended: "suspended", revoked: "revoked" } as const;
    for (const [state, id] of Object.entries(ids) as [keyof typeof ids, string][]) {
      cache().clear();
      const view = await getVerificationView(db, id, at);
      const cert = await db.selectFrom("certificate").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      const rule = await liveStatusOf(db, cert, at);
      // One database, so the view's statement is compiled once and each id put in (ADR 0053).
      expect(view && !isClosedView(view) ? { id: view.id, status: view.status, reason: view.reason } : null, state).toEqual({ id, status: rule.status, reason: rule.reason });
      expect(rule.status, state).toBe(expected[state]);
      // Each certificate's own history, through the history's statement compiled once (ADR 0053).
      const history = { valid: ["issued"], lapsed: ["issued"], suspended: ["issued", "suspended"], revoked: ["issued", "revoked"] }[state];
      expect(view && !isClosedView(view) ? view.history.map((e) => e.event) : null, state).toEqual(history);
    }
  });
});
