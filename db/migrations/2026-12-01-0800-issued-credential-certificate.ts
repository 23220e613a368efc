import type { Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// A certificate's credentials, newest first: the verification page's issuer (latestCredentialIssuer),
// the credential download (latestCredentialJson) and the start-up backfill's "has no credential
// yet" (NOT EXISTS per certificate). The partial index issued_credential_one_live holds only live
// credentials, so each of these read every credential: at 50,000 certificates the backfill's
// check alone was quadratic and start-up never finished (issue 19, ADR 0014). Justified by a
// query-plan test in tests/unit/certificate-superseded-index.test.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("issued_credential_certificate").on("issued_credential").columns(["certificate_id", "issued_at"]).execute();
}
