/**
 * Child process for credential-status-race.test.ts: opens the shared database on a connection of
 * its own (SQLite file or PostgreSQL URL), says "ready", waits for "go" on stdin (so every issuer
 * starts at once), then issues the credential of each given certificate and prints, as JSON, the
 * credential id each call answered (or the error it threw).
 */
import { once } from "node:events";
import { issueCredential } from "~/certificates/credentials/issue-credential.server";
import { currentIssuerKey } from "~/certificates/credentials/keys.server";
import { openSharedDatabase } from "../../helpers/shared-db";

const [target, certificateIds] = [process.argv[2]!, process.argv[3]!.split(",")];
const now = new Date(process.argv[4]!);
const db = openSharedDatabase(target);
const certificates = await db.selectFrom("certificate").selectAll().where("id", "in", certificateIds).execute();
await currentIssuerKey(db, now); // the key exists already: read it before the start line, not during the race
console.log("ready");
await once(process.stdin, "data");

const answers = await Promise.all(
  certificates.map(async (cert) => {
    try {
      return { certificateId: cert.id, credentialId: (await issueCredential(db, cert, "http://academy.test", now)).id };
    } catch (error) {
      return { certificateId: cert.id, error: String((error as Error).message ?? error).slice(0, 200) };
    }
  }),
);
await db.destroy();
console.log(JSON.stringify(answers));
