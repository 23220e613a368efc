import { createPrivateKey } from "node:crypto";
import type { Ed25519KeyPair } from "@digitalbazaar/ed25519-multikey";
import type { DB } from "~db/connection";
import type { CredentialIssuerKey } from "~db/schema";
import { iso } from "~/utils/clock";
import { recordAudit } from "~/audit/audit.server";

/**
 * The Multikey library alone: reading or making a key (as the server does on start) needs no
 * more of the credential libraries (ADR 0049).
 */
const multikey = () => import("@digitalbazaar/ed25519-multikey");

/**
 * The academy's signing keys (ADR 0013). A key is an Ed25519 pair identified by its did:key,
 * generated once and kept in the database with the other server secrets (never under public/,
 * never logged, never served). The newest unretired key signs new credentials. Rotation retires
 * the current key: it signs nothing new, but keeps re-signing the status lists of the
 * credentials it issued and stays published at /issuer, so earlier credentials still verify.
 */
export const ISSUER_NAME = "Approved Trainer Academy";

export interface IssuerKey {
  id: number;
  did: string;
  /** The verification method: `did:key:z…#z…`. */
  verificationMethod: string;
  keyPair: Ed25519KeyPair;
}

/** The pre-OB 3.0 key (VC-JWT era): imported so the academy keeps its DID. */
const LEGACY_SECRET = "credential_ed25519_pkcs8";

declare global {
  var __academyIssuerKeys: Map<string, IssuerKey> | undefined;
}
const cache = () => (globalThis.__academyIssuerKeys ??= new Map());

async function toIssuerKey(row: CredentialIssuerKey): Promise<IssuerKey> {
  const hit = cache().get(row.did);
  if (hit) return hit;
  const verificationMethod = `${row.did}#${row.public_key_multibase}`;
  const Ed25519Multikey = await multikey();
  const keyPair = await Ed25519Multikey.from({
    type: "Multikey",
    id: verificationMethod,
    controller: row.did,
    publicKeyMultibase: row.public_key_multibase,
    secretKeyMultibase: row.secret_key_multibase,
  });
  const key = { id: row.id, did: row.did, verificationMethod, keyPair };
  cache().set(row.did, key);
  return key;
}

async function storeKey(db: DB, keyPair: Ed25519KeyPair, now: Date): Promise<void> {
  const exported = await keyPair.export({ publicKey: true, secretKey: true });
  await db
    .insertInto("credential_issuer_key")
    .values({
      did: `did:key:${exported.publicKeyMultibase}`,
      public_key_multibase: exported.publicKeyMultibase,
      secret_key_multibase: exported.secretKeyMultibase!,
      created_at: iso(now),
      retired_at: null,
    })
    .onConflict((oc) => oc.column("did").doNothing())
    .execute();
}

async function newestUnretired(db: DB) {
  return db.selectFrom("credential_issuer_key").selectAll().where("retired_at", "is", null).orderBy("id", "desc").executeTakeFirst();
}

/** The key that signs new credentials: the installation's existing key, else one made now. */
export async function currentIssuerKey(db: DB, now: Date): Promise<IssuerKey> {
  const existing = await newestUnretired(db);
  if (existing) return toIssuerKey(existing);
  const Ed25519Multikey = await multikey();
  const legacy = await db.selectFrom("app_secret").select("value").where("name", "=", LEGACY_SECRET).executeTakeFirst();
  const anyKey = await db.selectFrom("credential_issuer_key").select("id").executeTakeFirst();
  if (legacy && !anyKey) {
    const seed = Buffer.from(createPrivateKey(legacy.value).export({ format: "jwk" }).d!, "base64url");
    await storeKey(db, await Ed25519Multikey.generate({ seed }), now);
  } else {
    await storeKey(db, await Ed25519Multikey.generate(), now);
  }
  return toIssuerKey((await newestUnretired(db))!);
}

export async function issuerKeyById(db: DB, id: number): Promise<IssuerKey> {
  return toIssuerKey(await db.selectFrom("credential_issuer_key").selectAll().where("id", "=", id).executeTakeFirstOrThrow());
}

export interface PublishedKey {
  did: string;
  createdAt: string;
  retiredAt: string | null;
}

/** Every DID the academy has signed with, newest first: what a relying party pins. */
export async function publishedIssuerKeys(db: DB): Promise<PublishedKey[]> {
  const rows = await db.selectFrom("credential_issuer_key").select(["did", "created_at", "retired_at"]).orderBy("id", "desc").execute();
  return rows.map((r) => ({ did: r.did, createdAt: r.created_at, retiredAt: r.retired_at }));
}

export async function isAcademyDid(db: DB, did: string): Promise<boolean> {
  return !!(await db.selectFrom("credential_issuer_key").select("id").where("did", "=", did).executeTakeFirst());
}

/** Retires the current key and makes a new one (audited). Earlier credentials keep verifying. */
export async function rotateIssuerKey(db: DB, now: Date): Promise<{ retired: string | null; current: string }> {
  const previous = await newestUnretired(db);
  const Ed25519Multikey = await multikey();
  const keyPair = await Ed25519Multikey.generate();
  await db.transaction().execute(async (trx) => {
    if (previous) await trx.updateTable("credential_issuer_key").set({ retired_at: iso(now) }).where("id", "=", previous.id).execute();
    await storeKey(trx, keyPair, now);
    await recordAudit(trx, { actorUserId: null, action: "credential_key.rotated", subjectType: "credential_issuer_key", subjectId: previous?.id ?? null, details: { retired: previous?.did ?? null, current: `did:key:${keyPair.publicKeyMultibase}` } }, now);
  });
  return { retired: previous?.did ?? null, current: `did:key:${keyPair.publicKeyMultibase}` };
}
