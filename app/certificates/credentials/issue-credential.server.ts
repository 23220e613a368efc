import type { DB } from "~db/connection";
import type { Certificate, IssuedCredential } from "~db/schema";
import { iso } from "~/utils/clock";
import { randomToken } from "~/utils/random.server";
import { createDocumentLoader } from "./documents.server";
import { credentialLibraries } from "./libraries.server";
import { currentIssuerKey, issuerKeyById, ISSUER_NAME, type IssuerKey } from "./keys.server";
import { buildOpenBadgeCredential } from "./open-badge";
import { allocateStatusSlot, drawStatusSlots, revokeIssuedCredential, statusListUrl } from "./status-list.server";

/**
 * Issues a certificate's Open Badges 3.0 credential: a random never-used status list index, the
 * credential built from the certificate's snapshot, a Data Integrity proof (eddsa-rdfc-2022)
 * by the academy's current key. Runs after the certificate's transaction has committed (signing
 * is CPU work and must not hold a write transaction open).
 */
export async function issueCredential(db: DB, cert: Certificate, baseUrl: string, now: Date): Promise<IssuedCredential> {
  const key = await currentIssuerKey(db, now);
  const credentialId = randomToken(20);
  const identitySalt = randomToken(16);
  const slot = await allocateStatusSlot(db, key, { credentialId, certificateId: cert.id, identitySalt }, now);
  if (!slot.allocated) return signPending(db, slot.existingCredentialId, baseUrl);
  return signAndStore(db, cert, key, { credentialId, identitySalt, listId: slot.listId, index: slot.index, issuedAt: now }, baseUrl);
}

/** What a credential is built from: the certificate's snapshot and the trainer's email. */
export type CredentialSubject = Pick<Certificate, "id" | "trainer_name" | "issued_at" | "expires_on" | "modules_json" | "report_json" | "scope_json" | "agreement_version">;

/** Builds and signs a certificate's credential for a reserved (or drawn) status slot: CPU work, no database. */
async function signCredential(
  cert: CredentialSubject,
  email: string,
  key: IssuerKey,
  slot: { credentialId: string; identitySalt: string; listId: number; index: number; issuedAt: Date },
  baseUrl: string,
): Promise<string> {
  const unsigned = buildOpenBadgeCredential({
    baseUrl,
    credentialId: slot.credentialId,
    issuer: { did: key.did, name: ISSUER_NAME },
    certificate: {
      id: cert.id,
      trainerName: cert.trainer_name,
      issuedAt: cert.issued_at,
      expiresOn: cert.expires_on,
      modules: JSON.parse(cert.modules_json) as { title: string; passedAt: string; version: string }[],
      report: JSON.parse(cert.report_json) as { releasedAt: string | null; version: string | null },
      scope: JSON.parse(cert.scope_json) as { may: string[]; mayNot: string[] },
      agreementVersion: cert.agreement_version,
    },
    identity: { email, salt: slot.identitySalt },
    status: { listUrl: statusListUrl(baseUrl, slot.listId), index: slot.index },
    issuedAt: slot.issuedAt,
  });
  const { vc, DataIntegrityProof, cryptosuite } = await credentialLibraries();
  const suite = new DataIntegrityProof({ signer: key.keyPair.signer(), cryptosuite, date: slot.issuedAt });
  const signed = await vc.issue({ credential: unsigned, suite, documentLoader: createDocumentLoader(), now: slot.issuedAt });
  return JSON.stringify(signed);
}

async function signAndStore(
  db: DB,
  cert: Certificate,
  key: IssuerKey,
  slot: { credentialId: string; identitySalt: string; listId: number; index: number; issuedAt: Date },
  baseUrl: string,
): Promise<IssuedCredential> {
  const user = await db.selectFrom("user").select("email").where("id", "=", cert.user_id).executeTakeFirstOrThrow();
  const json = await signCredential(cert, user.email, key, slot, baseUrl);
  await db.updateTable("issued_credential").set({ json }).where("id", "=", slot.credentialId).where("json", "is", null).execute();
  return db.selectFrom("issued_credential").selectAll().where("id", "=", slot.credentialId).executeTakeFirstOrThrow();
}

/** Certificates signed per batch: one query for the slots, one transaction for the rows. */
const ISSUE_BATCH = 200;

/**
 * Issues the credentials of many certificates (the start-up backfill, the hourly sync), set-based:
 * per batch, one query finds free indexes of the open list, each credential is signed (the
 * unavoidable CPU work), and the batch is stored in one transaction by one multi-row insert.
 * `revocationReason` (for a certificate no longer valid) stores the credential revoked at once,
 * its list marked for re-signing. A row that loses a race (an index or the certificate's one live
 * credential taken meanwhile by another issuer) goes through the one-at-a-time path, which
 * retries or finds the other issuer's credential. Returns how many credentials were issued.
 */
export async function issueCredentials(
  db: DB,
  subjects: { cert: CredentialSubject; email: string; revocationReason: string | null }[],
  baseUrl: string,
  now: Date,
): Promise<number> {
  if (subjects.length === 0) return 0;
  const key = await currentIssuerKey(db, now);
  let issued = 0;
  let queue = subjects;
  while (queue.length > 0) {
    // Indexes for as many as the open list has room for; the rest go on in the next list.
    const slots = await drawStatusSlots(db, key, queue.length, now);
    const taking = queue.slice(0, slots.length);
    queue = queue.slice(slots.length);
    for (let start = 0; start < taking.length; start += ISSUE_BATCH) {
      const batch = taking.slice(start, start + ISSUE_BATCH);
      const rows: IssuedCredential[] = [];
      for (const [i, subject] of batch.entries()) {
        const drawn = slots[start + i]!;
        const slot = { credentialId: randomToken(20), identitySalt: randomToken(16), listId: drawn.listId, index: drawn.index, issuedAt: now };
        const json = await signCredential(subject.cert, subject.email, key, slot, baseUrl);
        rows.push({
          id: slot.credentialId, certificate_id: subject.cert.id, status_list_id: slot.listId, status_index: slot.index, identity_salt: slot.identitySalt,
          issued_at: iso(now), revoked_at: subject.revocationReason ? iso(now) : null, revocation_reason: subject.revocationReason, json,
        });
      }
      const stored = await db.transaction().execute(async (trx) => {
        const inserted = await trx.insertInto("issued_credential").values(rows).onConflict((oc) => oc.doNothing()).returning("id").execute();
        const ids = new Set(inserted.map((r) => r.id));
        const revokedLists = [...new Set(rows.filter((r) => r.revoked_at && ids.has(r.id)).map((r) => r.status_list_id))];
        if (revokedLists.length > 0) await trx.updateTable("status_list").set((eb) => ({ version: eb("version", "+", 1) })).where("id", "in", revokedLists).execute();
        return ids;
      });
      issued += stored.size;
      for (const [i, row] of rows.entries()) {
        if (!stored.has(row.id)) issued += await issueAfterLostRace(db, batch[i]!, baseUrl, now);
      }
    }
  }
  return issued;
}

/** A batch row that lost a race: nothing to do if another issuer gave the certificate its live credential, else drawn again one at a time. */
async function issueAfterLostRace(db: DB, subject: { cert: CredentialSubject; revocationReason: string | null }, baseUrl: string, now: Date): Promise<number> {
  const live = await db.selectFrom("issued_credential").select("id").where("certificate_id", "=", subject.cert.id).where("revoked_at", "is", null).executeTakeFirst();
  if (live) return 0;
  const cert = await db.selectFrom("certificate").selectAll().where("id", "=", subject.cert.id).executeTakeFirstOrThrow();
  const credential = await issueCredential(db, cert, baseUrl, now);
  if (subject.revocationReason) await revokeIssuedCredential(db, credential.id, subject.revocationReason, now);
  return 1;
}

/** A credential whose index was reserved but not yet signed (an interrupted issue) is signed now. */
export async function signPending(db: DB, credentialId: string, baseUrl: string): Promise<IssuedCredential> {
  const row = await db.selectFrom("issued_credential").selectAll().where("id", "=", credentialId).executeTakeFirstOrThrow();
  if (row.json) return row;
  const cert = await db.selectFrom("certificate").selectAll().where("id", "=", row.certificate_id).executeTakeFirstOrThrow();
  const list = await db.selectFrom("status_list").select("issuer_key_id").where("id", "=", row.status_list_id).executeTakeFirstOrThrow();
  const key = await issuerKeyById(db, list.issuer_key_id);
  return signAndStore(db, cert, key, { credentialId: row.id, identitySalt: row.identity_salt, listId: row.status_list_id, index: row.status_index, issuedAt: new Date(row.issued_at) }, baseUrl);
}

/** The newest signed credential of a certificate, as stored (the file a trainer hands over). */
export async function latestCredentialJson(db: DB, certificateId: string): Promise<string | null> {
  const row = await db.selectFrom("issued_credential").select("json").where("certificate_id", "=", certificateId).where("json", "is not", null).orderBy("issued_at", "desc").orderBy("id", "desc").executeTakeFirst();
  return row?.json ?? null;
}
