import type { Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// Sessions people can see (issue 17 item 2, ADR 0031): the browser's User-Agent of the session's
// latest use, so the account page can describe each signed-in device.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("session").addColumn("user_agent", "text").execute();
}
