import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import type { DB } from "~db/connection";

/**
 * Signed credentials: a W3C Verifiable Credential encoded as a JWT (VC-JWT), signed with
 * Ed25519. The issuer is a `did:key`, which carries its own public key, so standard verifier
 * software can check the signature offline, without asking this site.
 */
const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

export function base58btc(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) + BigInt(byte);
  let out = "";
  while (value > 0n) {
    out = BASE58[Number(value % 58n)] + out;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}

declare global {
  var __academySigningKey: { privateKey: KeyObject; publicKey: KeyObject; did: string } | undefined;
}

export async function getIssuerKey(db: DB) {
  if (globalThis.__academySigningKey) return globalThis.__academySigningKey;
  // Generated once per installation and kept with the other server secrets.
  let pem = await db.selectFrom("app_secret").select("value").where("name", "=", "credential_ed25519_pkcs8").executeTakeFirst();
  if (!pem) {
    const { privateKey } = generateKeyPairSync("ed25519");
    await db
      .insertInto("app_secret")
      .values({ name: "credential_ed25519_pkcs8", value: privateKey.export({ type: "pkcs8", format: "pem" }).toString() })
      .onConflict((oc) => oc.column("name").doNothing())
      .execute();
    pem = await db.selectFrom("app_secret").select("value").where("name", "=", "credential_ed25519_pkcs8").executeTakeFirstOrThrow();
  }
  const privateKey = createPrivateKey(pem.value);
  const publicKey = createPublicKey(privateKey);
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  // Multicodec ed25519-pub (0xed 0x01) + key, base58btc with the "z" multibase prefix.
  const did = `did:key:z${base58btc(Uint8Array.from([0xed, 0x01, ...raw]))}`;
  globalThis.__academySigningKey = { privateKey, publicKey, did };
  return globalThis.__academySigningKey;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export async function signCredential(db: DB, claims: { subject: Record<string, unknown>; id: string; issuedAt: Date; expiresOn: string; issuerName: string; statusUrl: string }): Promise<string> {
  const key = await getIssuerKey(db);
  const fragment = key.did.slice("did:key:".length);
  const header = { alg: "EdDSA", typ: "JWT", kid: `${key.did}#${fragment}` };
  const exp = Math.floor(Date.parse(`${claims.expiresOn}T23:59:59Z`) / 1000);
  const iat = Math.floor(claims.issuedAt.getTime() / 1000);
  const payload = {
    iss: key.did,
    jti: claims.id,
    nbf: iat,
    iat,
    exp,
    vc: {
      "@context": ["https://www.w3.org/2018/credentials/v1"],
      id: claims.id,
      type: ["VerifiableCredential", "MedicalLegalApprovedTrainerCredential"],
      issuer: { id: key.did, name: claims.issuerName },
      issuanceDate: claims.issuedAt.toISOString(),
      expirationDate: new Date(exp * 1000).toISOString(),
      credentialSubject: claims.subject,
      credentialStatus: { id: claims.statusUrl, type: "LiveStatusPage" },
    },
  };
  const signingInput = `${b64url(header)}.${b64url(payload)}`;
  const signature = sign(null, Buffer.from(signingInput), key.privateKey).toString("base64url");
  return `${signingInput}.${signature}`;
}

/** Verifies a VC-JWT against the did:key in its header (what any verifier does offline). */
export function verifyCredentialJwt(jwt: string): { valid: boolean; payload: Record<string, unknown> | null } {
  try {
    return verifyOrThrow(jwt);
  } catch {
    return { valid: false, payload: null };
  }
}

function verifyOrThrow(jwt: string): { valid: boolean; payload: Record<string, unknown> | null } {
  const [h, p, s] = jwt.split(".");
  if (!h || !p || !s) return { valid: false, payload: null };
  const header = JSON.parse(Buffer.from(h, "base64url").toString()) as { kid?: string };
  const did = header.kid?.split("#")[0] ?? "";
  const multibase = did.replace(/^did:key:z/, "");
  let value = 0n;
  for (const char of multibase) value = value * 58n + BigInt(BASE58.indexOf(char));
  const bytes: number[] = [];
  while (value > 0n) {
    bytes.unshift(Number(value & 0xffn));
    value >>= 8n;
  }
  if (bytes[0] !== 0xed || bytes[1] !== 0x01 || bytes.length !== 34) return { valid: false, payload: null };
  const publicKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(bytes.slice(2)).toString("base64url") }, format: "jwk" });
  const valid = verify(null, Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, "base64url"));
  return { valid, payload: valid ? (JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>) : null };
}

