/**
 * Lookups by certificate that must read an index, not every row (issue 19), on SQLite and, when
 * DATABASE_URL selects it, PostgreSQL: the certificate a new one replaced (`superseded_by = <new
 * id>`, documents.server.ts), and a certificate's credentials (the verification page's issuer, read with the certificate,
 * the start-up backfill's "no credential yet"); and a status list's revoked indexes (re-signing it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { replacedBy } from "~/certificates/documents.server";
import { verificationViewQuery } from "~/certificates/public.server";
import { getStatusRules } from "~/certificates/status-sql.server";
import { withoutCredential } from "~/certificates/credentials/sync.server";
import { revokedIndexes } from "~/certificates/credentials/status-list.server";
import { isPostgres } from "~db/dialect";
import { iso } from "~/utils/clock";
import { createTestDb, createUser } from "../helpers/db";
import { fullScans, queryPlan } from "../helpers/query-plan";

const now = new Date("2026-06-01T09:00:00Z");
const id = (n: number) => `superseded${String(n).padStart(4, "0")}`.padEnd(32, "b");
let db: DB;

beforeAll(async () => {
  db = await createTestDb();
  const user = await createUser(db);
  // A trainer's chain of renewals: each certificate replaced by the next, the last one current.
  const rows = Array.from({ length: 40 }, (_, n) => ({
    id: id(n), user_id: user.id, trainer_name: "Chain Trainer", issued_at: iso(now), expires_on: "2027-06-01", expiry_basis: "validity period" as const, validity_ends_on: "2027-06-01",
    agreement_version: "v1", modules_json: "[]", report_json: "{}", scope_json: "{}", issuer: "RMR", eligibility_key: `k${n}`,
    superseded_by: n < 39 ? id(n + 1) : null, superseded_at: n < 39 ? iso(now) : null, suspended_at: null, suspension_reason: null, suspended_by: null, suspension_category: null, revoked_at: null, revocation_reason: null, revoked_by: null, pdf: null,
  }));
  await db.insertInto("certificate").values(rows).execute();
});

afterAll(async () => {
  await db.destroy();
});

describe("certificate_superseded_by", () => {
  it("finds the certificate a new one replaced through the index, never by reading them all", async () => {
    expect(await replacedBy(db, id(39)).execute()).toEqual([{ id: id(38) }]);
    expect(await replacedBy(db, id(0)).execute()).toEqual([]);
    const query = replacedBy(db, id(39)).compile();
    const plan = await queryPlan(db, query);
    expect(plan).toEqual(expect.arrayContaining([expect.stringMatching(/^SEARCH certificate USING (COVERING )?INDEX certificate_superseded_by/)]));
    expect(fullScans(plan, query.sql)).toEqual([]);
  });
});

describe("issued_credential_certificate", () => {
  it("finds a certificate's credentials, and the certificates without one, through the index", async () => {
    // The verification page's statement: the signer is a column of the certificate's row.
    const issuer = verificationViewQuery(db, id(39), await getStatusRules(db, now)).compile();
    const issuerPlan = await queryPlan(db, issuer);
    expect(issuerPlan).toEqual(expect.arrayContaining([expect.stringMatching(/^SEARCH issued_credential USING (COVERING )?INDEX issued_credential_certificate/)]));
    expect(fullScans(issuerPlan, issuer.sql).filter((t) => t !== "status_list" && t !== "credential_issuer_key")).toEqual([]);
    const missing = db.selectFrom("certificate").select("certificate.id").where(withoutCredential).compile();
    const missingPlan = await queryPlan(db, missing);
    expect(missingPlan).toEqual(expect.arrayContaining([expect.stringMatching(/^SEARCH issued_credential USING (COVERING )?INDEX issued_credential_certificate/)]));
    expect(fullScans(missingPlan, missing.sql).filter((t) => t !== "certificate")).toEqual([]);
  });
});

describe("issued_credential_list_revoked", () => {
  it("reads a status list's revoked indexes to re-sign it from the index, never a credential row (ADR 0044)", async () => {
    const query = revokedIndexes(db, 1).compile();
    const plan = await queryPlan(db, query);
    // SQLite says whether the index alone answers; PostgreSQL's mapped plan does not (see query-plan.ts).
    expect(plan).toEqual([expect.stringMatching(isPostgres(db) ? /^SEARCH issued_credential USING INDEX issued_credential_list_revoked/ : /^SEARCH issued_credential USING COVERING INDEX issued_credential_list_revoked/)]);
    expect(fullScans(plan, query.sql)).toEqual([]);
  });
});
