import type { Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// A status list's revoked indexes, read to re-sign the list (signList): after each revocation on
// a request (suspension, revocation, supersession) and by the hourly credential sync. Through
// issued_credential_status_slot (status_list_id, status_index) each credential row, beside its
// JSON, was read to test revoked_at: 0.8–1.4 s for one list at 50,000 certificates (issue 19,
// ADR 0044); this index answers from itself (2–25 ms). Justified by a query-plan test in
// tests/unit/certificate-superseded-index.test.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("issued_credential_list_revoked").on("issued_credential").columns(["status_list_id", "revoked_at", "status_index"]).execute();
}
