import { randomInt } from "node:crypto";
import type { DB } from "~db/connection";
import { isUniqueViolation } from "~db/dialect";
import { iso } from "~/utils/clock";
import { createDocumentLoader } from "./documents.server";
import { credentialLibraries } from "./libraries.server";
import { issuerKeyById, type IssuerKey } from "./keys.server";

/**
 * Bitstring Status Lists (W3C): one bit per credential, set when the credential is revoked.
 * Indexes are drawn at random (so a list reveals nothing about issue order) and never reused:
 * a unique index on (list, index) makes two issuers that draw the same one at the same moment
 * collide, and the loser draws again. A list is signed by the key that signed its credentials
 * and re-signed whenever a bit changes.
 */
export const STATUS_LIST_LENGTH = 131_072;
/** A list takes new entries until half full, so a random draw rarely collides. */
const LIST_CAPACITY = STATUS_LIST_LENGTH / 2;
const MAX_DRAWS = 50;

export function statusListUrl(baseUrl: string, listId: number): string {
  return `${baseUrl}/credentials/status/${listId}`;
}

/** The list id in a status list URL of this site (any origin: the path is ours), or null. */
export function statusListIdFromUrl(url: string): number | null {
  const match = /\/credentials\/status\/(\d{1,9})$/.exec(url);
  return match ? Number(match[1]) : null;
}

async function openListFor(db: DB, key: IssuerKey, now: Date): Promise<number> {
  const lists = await db.selectFrom("status_list").select("id").where("issuer_key_id", "=", key.id).orderBy("id", "desc").execute();
  for (const list of lists) {
    const used = await db.selectFrom("issued_credential").select((eb) => eb.fn.countAll<number>().as("n")).where("status_list_id", "=", list.id).executeTakeFirstOrThrow();
    if (Number(used.n) < LIST_CAPACITY) return list.id;
  }
  const created = await db.insertInto("status_list").values({ issuer_key_id: key.id, length: STATUS_LIST_LENGTH, credential_json: null, created_at: iso(now), signed_at: null }).returning("id").executeTakeFirstOrThrow();
  return created.id;
}

export type SlotResult = { allocated: true; listId: number; index: number } | { allocated: false; existingCredentialId: string };

/**
 * Reserves a random, never-used index for a new credential by inserting its row (unsigned).
 * Safe under concurrency: a collision on the index is retried with a new draw; a collision on
 * "one live credential per certificate" means another issuer won, and its credential is returned.
 */
export async function allocateStatusSlot(
  db: DB,
  key: IssuerKey,
  input: { credentialId: string; certificateId: string; identitySalt: string },
  now: Date,
  draw: (max: number) => number = (max) => randomInt(max),
): Promise<SlotResult> {
  const listId = await openListFor(db, key, now);
  for (let attempt = 0; attempt < MAX_DRAWS; attempt += 1) {
    const index = draw(STATUS_LIST_LENGTH);
    try {
      await db
        .insertInto("issued_credential")
        .values({ id: input.credentialId, certificate_id: input.certificateId, status_list_id: listId, status_index: index, identity_salt: input.identitySalt, issued_at: iso(now), revoked_at: null, revocation_reason: null, json: null })
        .execute();
      return { allocated: true, listId, index };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const live = await db.selectFrom("issued_credential").select("id").where("certificate_id", "=", input.certificateId).where("revoked_at", "is", null).executeTakeFirst();
      if (live) return { allocated: false, existingCredentialId: live.id };
    }
  }
  throw new Error(`No free status list index after ${MAX_DRAWS} draws in list ${listId}.`);
}

/**
 * Draws up to `count` random indexes never used in the key's open list, for a batch of new
 * credentials (fewer when the list fills up: draw again for the rest, in the next list). One
 * query reads the indexes in use. Another issuer may take one of them before the batch is
 * stored: the unique index refuses the second, and the caller draws that one again.
 */
export async function drawStatusSlots(db: DB, key: IssuerKey, count: number, now: Date, draw: (max: number) => number = (max) => randomInt(max)): Promise<{ listId: number; index: number }[]> {
  const listId = await openListFor(db, key, now);
  const used = new Set((await db.selectFrom("issued_credential").select("status_index").where("status_list_id", "=", listId).execute()).map((r) => r.status_index));
  const room = Math.min(count, LIST_CAPACITY - used.size);
  const slots: { listId: number; index: number }[] = [];
  while (slots.length < room) {
    const index = draw(STATUS_LIST_LENGTH);
    if (used.has(index)) continue;
    used.add(index);
    slots.push({ listId, index });
  }
  return slots;
}

/**
 * Sets the revocation bits of many credentials, a thousand per transaction: one UPDATE per
 * reason and batch, and each list touched marked once for re-signing (call resignStatusLists
 * after). Credentials already revoked are left as they are. Returns how many bits changed.
 */
export async function revokeIssuedCredentials(db: DB, revocations: { credentialId: string; reason: string }[], now: Date): Promise<number> {
  let changed = 0;
  for (let start = 0; start < revocations.length; start += 1000) {
    const batch = revocations.slice(start, start + 1000);
    changed += await db.transaction().execute(async (trx) => {
      const lists = new Set<number>();
      let n = 0;
      for (const reason of new Set(batch.map((r) => r.reason))) {
        const ids = batch.filter((r) => r.reason === reason).map((r) => r.credentialId);
        const rows = await trx.updateTable("issued_credential").set({ revoked_at: iso(now), revocation_reason: reason }).where("id", "in", ids).where("revoked_at", "is", null).returning("status_list_id").execute();
        for (const row of rows) lists.add(row.status_list_id);
        n += rows.length;
      }
      if (lists.size > 0) await trx.updateTable("status_list").set((eb) => ({ version: eb("version", "+", 1) })).where("id", "in", [...lists]).execute();
      return n;
    });
  }
  return changed;
}

/**
 * Sets a credential's revocation bit (in the caller's transaction, if any). The list is marked
 * for re-signing; call resignStatusLists after commit. True when the bit changed now.
 */
export async function revokeIssuedCredential(db: DB, credentialId: string, reason: string, now: Date): Promise<boolean> {
  const row = await db.selectFrom("issued_credential").select("status_list_id").where("id", "=", credentialId).executeTakeFirst();
  if (!row) return false;
  const changed = await db.updateTable("issued_credential").set({ revoked_at: iso(now), revocation_reason: reason }).where("id", "=", credentialId).where("revoked_at", "is", null).executeTakeFirst();
  if (Number(changed.numUpdatedRows) === 0) return false;
  await db.updateTable("status_list").set((eb) => ({ version: eb("version", "+", 1) })).where("id", "=", row.status_list_id).execute();
  return true;
}

/** A list's revoked indexes, from issued_credential_list_revoked alone (no credential row, each beside its JSON, is read). */
export const revokedIndexes = (db: DB, listId: number) => db.selectFrom("issued_credential").select("status_index").where("status_list_id", "=", listId).where("revoked_at", "is not", null);

async function signList(db: DB, listId: number, baseUrl: string, now: Date): Promise<void> {
  const list = await db.selectFrom("status_list").selectAll().where("id", "=", listId).executeTakeFirstOrThrow();
  // Read the version before the bits: bits only ever go from 0 to 1, so the bits read are at
  // least those of this version, and a slower signer can never overwrite a newer list.
  const version = list.version;
  const revoked = await revokedIndexes(db, listId).execute();
  const { vc, statusList, DataIntegrityProof, cryptosuite } = await credentialLibraries();
  const bits = await statusList.createList({ length: list.length });
  for (const r of revoked) bits.setStatus(r.status_index, true);
  const key = await issuerKeyById(db, list.issuer_key_id);
  const unsigned = await statusList.createCredential({ id: statusListUrl(baseUrl, listId), list: bits, statusPurpose: "revocation" });
  unsigned.issuer = key.did;
  unsigned.validFrom = `${iso(now).slice(0, 19)}Z`;
  const suite = new DataIntegrityProof({ signer: key.keyPair.signer(), cryptosuite, date: now });
  const signed = await vc.issue({ credential: unsigned, suite, documentLoader: createDocumentLoader() });
  await db
    .updateTable("status_list")
    .set({ credential_json: JSON.stringify(signed), signed_version: version, signed_at: iso(now) })
    .where("id", "=", listId)
    .where("signed_version", "<", version)
    .execute();
}

/** Re-signs every list whose bits changed since it was last signed (or was never signed). */
export async function resignStatusLists(db: DB, baseUrl: string, now: Date): Promise<number> {
  const dirty = await db.selectFrom("status_list").select("id").whereRef("signed_version", "<", "version").execute();
  for (const list of dirty) await signList(db, list.id, baseUrl, now);
  return dirty.length;
}

/** The signed list to serve (re-signed first if a bit changed and nobody has re-signed yet). */
export async function getStatusListCredential(db: DB, listId: number, baseUrl: string, now: Date): Promise<Record<string, unknown> | null> {
  let list = await db.selectFrom("status_list").select(["version", "signed_version", "credential_json"]).where("id", "=", listId).executeTakeFirst();
  if (!list) return null;
  if (list.signed_version < list.version || !list.credential_json) {
    await signList(db, listId, baseUrl, now);
    list = await db.selectFrom("status_list").select(["version", "signed_version", "credential_json"]).where("id", "=", listId).executeTakeFirstOrThrow();
  }
  return JSON.parse(list.credential_json!) as Record<string, unknown>;
}
