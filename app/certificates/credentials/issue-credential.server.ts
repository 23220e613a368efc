import * as vc from "@digitalbazaar/vc";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import type { DB } from "~db/connection";
import type { Certificate, IssuedCredential } from "~db/schema";
import { randomToken } from "~/utils/random.server";
import { createDocumentLoader } from "./documents.server";
import { currentIssuerKey, issuerKeyById, ISSUER_NAME, type IssuerKey } from "./keys.server";
import { buildOpenBadgeCredential } from "./open-badge";
import { allocateStatusSlot, statusListUrl } from "./status-list.server";

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

async function signAndStore(
  db: DB,
  cert: Certificate,
  key: IssuerKey,
  slot: { credentialId: string; identitySalt: string; listId: number; index: number; issuedAt: Date },
  baseUrl: string,
): Promise<IssuedCredential> {
  const user = await db.selectFrom("user").select("email").where("id", "=", cert.user_id).executeTakeFirstOrThrow();
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
    identity: { email: user.email, salt: slot.identitySalt },
    status: { listUrl: statusListUrl(baseUrl, slot.listId), index: slot.index },
    issuedAt: slot.issuedAt,
  });
  const suite = new DataIntegrityProof({ signer: key.keyPair.signer(), cryptosuite, date: slot.issuedAt });
  const signed = await vc.issue({ credential: unsigned, suite, documentLoader: createDocumentLoader(), now: slot.issuedAt });
  const json = JSON.stringify(signed);
  await db.updateTable("issued_credential").set({ json }).where("id", "=", slot.credentialId).where("json", "is", null).execute();
  return db.selectFrom("issued_credential").selectAll().where("id", "=", slot.credentialId).executeTakeFirstOrThrow();
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
