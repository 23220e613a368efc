import type { DB } from "~db/connection";
import { createDocumentLoader, DocumentNotBundled, type DocumentLoader } from "./documents.server";
import { credentialLibraries } from "./libraries.server";
import { isAcademyDid, ISSUER_NAME } from "./keys.server";
import { VC_V2_CONTEXT } from "./open-badge";
import { getStatusListCredential, statusListIdFromUrl } from "./status-list.server";

/**
 * The project's own verifier for a credential file a relying party was given. It uses the
 * standard libraries (jsonld-signatures with the eddsa-rdfc-2022 Data Integrity suite, the
 * Bitstring Status List library) and, unlike a generic verifier, pins the issuer: the signing
 * DID must be one the academy publishes at /issuer. Each check is reported in plain words.
 */
export const MAX_CREDENTIAL_BYTES = 64 * 1024;

export type ParsedCredential = { ok: true; credential: Record<string, unknown> } | { ok: false; message: string };

/** Bad input gets a message for the field, never an exception. */
export function parseCredentialText(text: string): ParsedCredential {
  if (!text.trim()) return { ok: false, message: "Choose a credential file, or paste the credential's text." };
  if (Buffer.byteLength(text, "utf8") > MAX_CREDENTIAL_BYTES) return { ok: false, message: "That is larger than 64 KB; a credential from this academy is a few kilobytes. Check you chose the right file." };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: "That is not a credential: it is not valid JSON. Upload the .json file you were given, unchanged." };
  }
  const c = value as Record<string, unknown> | null;
  if (!c || typeof c !== "object" || Array.isArray(c)) return { ok: false, message: "That is JSON, but not a credential: a credential is a single JSON object." };
  const types = Array.isArray(c.type) ? c.type : [c.type];
  const contexts = Array.isArray(c["@context"]) ? c["@context"] : [];
  if (!types.includes("VerifiableCredential") || contexts[0] !== VC_V2_CONTEXT) return { ok: false, message: "That is JSON, but not a verifiable credential (W3C VC 2.0): it lacks the credential's context or type." };
  if (!c.proof || typeof c.proof !== "object") return { ok: false, message: "That credential carries no signature (proof), so nothing about it can be verified." };
  return { ok: true, credential: c };
}

export interface Check {
  ok: boolean | null;
  text: string;
}
export interface CredentialReport {
  verdict: "valid" | "revoked" | "invalid";
  headline: string;
  signature: Check;
  issuer: Check & { did: string | null };
  validity: Check & { from: string | null; until: string | null };
  status: Check;
  subjectName: string | null;
  achievement: string | null;
  certificateId: string | null;
}

const issuerDid = (c: Record<string, unknown>): string | null => {
  const issuer = c.issuer as string | { id?: unknown } | undefined;
  const id = typeof issuer === "string" ? issuer : issuer?.id;
  return typeof id === "string" ? id : null;
};

/** Did verification stop on a document this verifier does not hold (however deeply wrapped)? */
function notBundled(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 6) return false;
  if (error instanceof DocumentNotBundled) return true;
  const e = error as { cause?: unknown; errors?: unknown[]; details?: { cause?: unknown } };
  return notBundled(e.cause, depth + 1) || notBundled(e.details?.cause, depth + 1) || (e.errors ?? []).some((inner) => notBundled(inner, depth + 1));
}

async function checkSignature(credential: object, documentLoader: DocumentLoader): Promise<Check> {
  const { jsigs, vc, DataIntegrityProof, cryptosuite } = await credentialLibraries();
  try {
    const result = await jsigs.verify(credential, { suite: new DataIntegrityProof({ cryptosuite }), purpose: new vc.CredentialIssuancePurpose(), documentLoader });
    if (result.verified) return { ok: true, text: "The signature is valid: the credential has not been changed since it was signed, and it was signed by the key of the issuer it names." };
    const offline = notBundled(result.error);
    if (offline) return { ok: false, text: "The signature could not be checked: the credential refers to a vocabulary or key this verifier does not hold, so it is not one of the academy's credentials." };
    return { ok: false, text: "The signature is not valid: the credential has been changed since it was signed, or it was not signed by the key of the issuer it names." };
  } catch {
    return { ok: false, text: "The signature could not be checked: the credential is malformed." };
  }
}

function checkValidity(c: Record<string, unknown>, now: Date): CredentialReport["validity"] {
  const from = typeof c.validFrom === "string" ? c.validFrom : null;
  const until = typeof c.validUntil === "string" ? c.validUntil : null;
  const fromMs = from ? Date.parse(from) : NaN;
  const untilMs = until ? Date.parse(until) : Infinity;
  if (!from || Number.isNaN(fromMs) || Number.isNaN(untilMs)) return { ok: false, text: "It has no readable validity period.", from, until };
  if (now.getTime() < fromMs) return { ok: false, text: "It is not valid yet: its validity period has not begun.", from, until };
  if (now.getTime() >= untilMs) return { ok: false, text: "It has expired: its validity period is over.", from, until };
  return { ok: true, text: "It is within its validity period.", from, until };
}

async function checkRevocation(db: DB, credential: object, documentLoader: DocumentLoader): Promise<Check> {
  const { statusList, DataIntegrityProof, cryptosuite } = await credentialLibraries();
  const result = await statusList.checkStatus({ credential, documentLoader, suite: new DataIntegrityProof({ cryptosuite }), verifyBitstringStatusListCredential: true, verifyMatchingIssuers: true });
  if (!result.verified) return { ok: null, text: "Its current status could not be checked against the academy's status list." };
  if (result.results?.some((r) => r.status === true)) return { ok: false, text: "It has been revoked by the academy (checked just now against the academy's signed status list)." };
  return { ok: true, text: "It has not been revoked (checked just now against the academy's signed status list)." };
}

export async function verifyCredentialForRelyingParty(db: DB, credential: Record<string, unknown>, baseUrl: string, now: Date): Promise<CredentialReport> {
  const documentLoader = createDocumentLoader(async (url) => {
    const listId = statusListIdFromUrl(url);
    return listId === null ? null : getStatusListCredential(db, listId, baseUrl, now);
  });
  const did = issuerDid(credential);
  const signature = await checkSignature(credential, documentLoader);
  const pinned = did !== null && (await isAcademyDid(db, did));
  const issuer = {
    ok: pinned,
    did,
    text: pinned ? `The issuer is ${ISSUER_NAME} (${did}), one of the keys the academy publishes at /issuer.` : `The issuer is not ${ISSUER_NAME}: it was signed as ${did ?? "an unnamed issuer"}, which is not one of the academy's published keys, whatever name it gives.`,
  };
  const validity = checkValidity(credential, now);
  const status = signature.ok && pinned ? await checkRevocation(db, credential, documentLoader) : { ok: null, text: "Its status was not checked, because it is not a genuine credential from the academy." };
  return { ...describe(credential), ...verdict(signature, issuer, validity, status), signature, issuer, validity, status, certificateId: await certificateOf(db, credential, signature.ok === true && pinned) };
}

function verdict(signature: Check, issuer: Check, validity: Check, status: Check): Pick<CredentialReport, "verdict" | "headline"> {
  if (signature.ok && issuer.ok && status.ok === false) return { verdict: "revoked", headline: "Revoked" };
  if (signature.ok && issuer.ok && validity.ok && status.ok) return { verdict: "valid", headline: `Valid, issued by ${ISSUER_NAME}` };
  return { verdict: "invalid", headline: "Not valid" };
}

function describe(c: Record<string, unknown>): Pick<CredentialReport, "subjectName" | "achievement"> {
  const subject = (c.credentialSubject ?? {}) as { identifier?: { identityType?: unknown; identityHash?: unknown; hashed?: unknown }[]; achievement?: { name?: unknown } };
  const name = Array.isArray(subject.identifier) ? subject.identifier.find((i) => i?.identityType === "name" && i.hashed === false)?.identityHash : null;
  const achievement = subject.achievement?.name;
  return { subjectName: typeof name === "string" ? name.slice(0, 200) : null, achievement: typeof achievement === "string" ? achievement.slice(0, 200) : null };
}

/** The certificate a genuine credential belongs to (for a link to its live page). */
async function certificateOf(db: DB, c: Record<string, unknown>, genuine: boolean): Promise<string | null> {
  if (!genuine || typeof c.id !== "string") return null;
  const credentialId = /\/credentials\/([a-z2-7]{32})$/.exec(c.id)?.[1];
  if (!credentialId) return null;
  const row = await db.selectFrom("issued_credential").select("certificate_id").where("id", "=", credentialId).executeTakeFirst();
  return row?.certificate_id ?? null;
}

export type CredentialCheckOutcome = { ok: true; report: CredentialReport } | { ok: false; status: 400 | 429; message: string };

/** What the /verify form calls: bad input gets a message for the field; anything else a report. */
export async function checkCredentialText(db: DB, text: string, baseUrl: string, now: Date): Promise<CredentialCheckOutcome> {
  const parsed = parseCredentialText(text);
  if (!parsed.ok) return { ok: false, status: 400, message: parsed.message };
  return { ok: true, report: await verifyCredentialForRelyingParty(db, parsed.credential, baseUrl, now) };
}
