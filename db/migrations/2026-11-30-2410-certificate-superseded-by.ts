import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// The certificate a new one replaced is found by `superseded_by = <new id>` when the new one's
// documents are completed (its cached public view is cleared). Without an index that read every
// certificate (issue 19, ADR 0014). Partial: only replaced certificates carry the column, and
// `superseded_by = ?` implies it is not null, so both engines use it. Justified by a query-plan
// test in tests/unit/certificate-superseded-index.test.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("certificate_superseded_by").on("certificate").column("superseded_by").where(sql.ref("superseded_by"), "is not", null).execute();
}
