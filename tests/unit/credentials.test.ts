import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import Ajv2019 from "ajv/dist/2019";
import addFormats from "ajv-formats";
import jsonld from "jsonld";
import * as vc from "@digitalbazaar/vc";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { checkStatus } from "@digitalbazaar/vc-bitstring-status-list";
import type { DB } from "~db/connection";
import { DAY, addMs } from "~/utils/clock";
import { registerModuleVersions } from "~/content/catalog.server";
import { reinstateCertificate, revokeCertificate, suspendCertificate } from "~/certificates/admin.server";
import { createDocumentLoader, DocumentNotBundled } from "~/certificates/credentials/documents.server";
import { getStatusListCredential, statusListIdFromUrl } from "~/certificates/credentials/status-list.server";
import { parseCredentialText, verifyCredentialForRelyingParty } from "~/certificates/credentials/verify-credential.server";
import { identityHash } from "~/certificates/credentials/open-badge";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createTestDb, createUser } from "../helpers/db";

const BASE = "http://academy.test";

function base58btc(bytes: Uint8Array): string {
  const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) + BigInt(byte);
  let out = "";
  while (value > 0n) {
    out = alphabet[Number(value % 58n)] + out;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}
let db: DB;
let staffId: number;
const now = new Date("2026-06-01T09:00:00Z");
let n = 0;

async function certified(name?: string) {
  n += 1;
  name ??= `Credential Trainer ${n}`;
  const trainer = await seedCertifiedTrainer(db, { name, email: `cred${n}@example.test`, password: "seeded password 1", staffUserId: staffId }, BASE, now);
  return { ...trainer, credential: await credentialOf(trainer.certificateId) };
}

async function credentialOf(certificateId: string, which: "live" | "latest" = "latest"): Promise<Record<string, unknown>> {
  let query = db.selectFrom("issued_credential").select("json").where("certificate_id", "=", certificateId).orderBy("issued_at", "desc").orderBy("id", "desc");
  if (which === "live") query = query.where("revoked_at", "is", null);
  return JSON.parse((await query.executeTakeFirstOrThrow()).json!) as Record<string, unknown>;
}

/** The loader a standard verifier would use here: bundled contexts, did:key, our status lists. */
const loader = () => createDocumentLoader(async (url) => (statusListIdFromUrl(url) === null ? null : getStatusListCredential(db, statusListIdFromUrl(url)!, BASE, now)));

/** Verifies with the standard library alone (what any relying party's software does). */
async function standardVerify(credential: object, at = addMs(now, DAY)) {
  const suite = new DataIntegrityProof({ cryptosuite });
  return vc.verifyCredential({ credential, suite, documentLoader: loader(), checkStatus, now: at });
}

const ours = (credential: Record<string, unknown>, at = addMs(now, DAY)) => verifyCredentialForRelyingParty(db, credential, BASE, at);

beforeAll(async () => {
  db = await createTestDb();
  await registerModuleVersions(db, now);
  staffId = (await createUser(db, { role: "assessor" })).id;
});

describe("issue and verify an Open Badges 3.0 credential", () => {
  it("verifies with the standard libraries and the project's verifier", async () => {
    const { credential } = await certified("Zoë Ó Briain");
    const standard = await standardVerify(credential);
    expect(standard.error).toBeUndefined();
    expect(standard.verified).toBe(true);
    expect(standard.statusResult?.results?.[0]?.status).toBe(false);
    const report = await ours(credential);
    expect(report.headline).toBe("Valid, issued by Approved Trainer Academy");
    expect([report.signature.ok, report.issuer.ok, report.validity.ok, report.status.ok]).toEqual([true, true, true, true]);
    expect(report.subjectName).toBe("Zoë Ó Briain");
  });

  it("has the shape the issue asks for: contexts, Profile issuer, hashed identity, achievement, evidence, one status entry", async () => {
    const { credential, userId } = await certified();
    expect(credential["@context"]).toEqual(["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]);
    expect(credential.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    const issuer = credential.issuer as Record<string, unknown>;
    expect(issuer).toMatchObject({ type: ["Profile"], name: "Approved Trainer Academy" });
    expect(issuer.url).toMatch(/^https?:\/\/[^/]+\/issuer$/);
    expect(issuer.id).toMatch(/^did:key:z6Mk/);
    expect(credential.validFrom).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(credential.validUntil).toMatch(/^\d{4}-\d\d-\d\dT00:00:00Z$/);
    const subject = credential.credentialSubject as { identifier: { identityHash: string; salt: string; hashed: boolean; identityType: string }[]; achievement: { criteria: { narrative: string } } };
    const email = (await db.selectFrom("user").select("email").where("id", "=", userId).executeTakeFirstOrThrow()).email;
    const hashed = subject.identifier.find((i) => i.identityType === "emailAddress")!;
    expect(hashed.hashed).toBe(true);
    expect(hashed.identityHash).toBe(identityHash(email, hashed.salt));
    expect(JSON.stringify(credential)).not.toContain(email);
    expect(subject.achievement.criteria.narrative).toContain("Enhanced DBS");
    const evidence = credential.evidence as { name: string; narrative: string }[];
    expect(evidence.filter((e) => e.name.startsWith("Module passed"))).toHaveLength(4);
    expect(evidence.some((e) => e.name.startsWith("Report-writing task"))).toBe(true);
    expect(evidence.find((e) => e.name.startsWith("Scope of practice"))!.narrative).toMatch(/This trainer may:[\s\S]*This trainer may not:/);
    const status = credential.credentialStatus as Record<string, string>;
    expect(status).toMatchObject({ type: "BitstringStatusListEntry", statusPurpose: "revocation" });
    expect(Number(status.statusListIndex)).toBeLessThan(131_072);
  });

  it("one changed character makes it fail, for the standard library and for ours", async () => {
    const { credential } = await certified("Anna Smith");
    const tampered = JSON.parse(JSON.stringify(credential).replace("Anna Smith", "Anna Smyth")) as Record<string, unknown>;
    expect((await standardVerify(tampered)).verified).toBe(false);
    const report = await ours(tampered);
    expect(report.signature.ok).toBe(false);
    expect(report.headline).toBe("Not valid");
    const later = JSON.parse(JSON.stringify(credential).replace(/"validUntil":"(\d)/, (_m, d: string) => `"validUntil":"${(Number(d) + 1) % 10}`)) as Record<string, unknown>;
    expect((await standardVerify(later)).verified).toBe(false);
  });

  it("refuses a credential signed by another key that names the academy", async () => {
    const { credential } = await certified();
    const other = await Ed25519Multikey.generate();
    const otherDid = `did:key:${other.publicKeyMultibase}`;
    other.id = `${otherDid}#${other.publicKeyMultibase}`;
    other.controller = otherDid;
    const { proof: _proof, credentialStatus: _status, ...unsigned } = credential;
    const forge = async (issuerId: string) =>
      vc.issue({ credential: { ...unsigned, issuer: { ...(unsigned.issuer as object), id: issuerId } }, suite: new DataIntegrityProof({ signer: other.signer(), cryptosuite }), documentLoader: loader() });
    // Re-signed with its own did:key: a generic verifier accepts it, the project's verifier does not.
    const forged = await forge(otherDid);
    expect((await standardVerify(forged)).verified).toBe(true);
    const report = await ours(forged);
    expect(report.signature.ok).toBe(true);
    expect(report.issuer.ok).toBe(false);
    expect(report.headline).toBe("Not valid");
    // Claiming the academy's DID while signing with another key fails the signature check.
    const impostor = await forge((credential.issuer as { id: string }).id).catch(() => null);
    if (impostor) expect((await ours(impostor)).signature.ok).toBe(false);
  });

  it("refuses an expired credential and one not yet valid", async () => {
    const { credential } = await certified();
    const afterExpiry = new Date(Date.parse(credential.validUntil as string) + 10 * DAY);
    const beforeStart = new Date(Date.parse(credential.validFrom as string) - 10 * DAY);
    for (const at of [afterExpiry, beforeStart]) {
      expect((await standardVerify(credential, at)).verified).toBe(false);
      const report = await ours(credential, at);
      expect(report.validity.ok).toBe(false);
      expect(report.headline).toBe("Not valid");
    }
    expect((await ours(credential, afterExpiry)).validity.text).toContain("expired");
    expect((await ours(credential, beforeStart)).validity.text).toContain("not valid yet");
  });

  it("revocation reaches the status list; reinstatement issues a new credential and the old one stays revoked", async () => {
    const { certificateId, credential } = await certified();
    await suspendCertificate(db, staffId, certificateId, "Complaint under investigation", addMs(now, DAY));
    const suspended = await standardVerify(credential);
    expect(suspended.statusResult?.results?.[0]?.status).toBe(true);
    expect((await ours(credential)).headline).toBe("Revoked");

    await reinstateCertificate(db, staffId, certificateId, "Investigation closed, no case", addMs(now, DAY));
    const fresh = await credentialOf(certificateId, "live");
    expect(fresh.id).not.toBe(credential.id);
    expect((fresh.credentialStatus as { statusListIndex: string }).statusListIndex).not.toBe((credential.credentialStatus as { statusListIndex: string }).statusListIndex);
    expect((await ours(fresh)).headline).toBe("Valid, issued by Approved Trainer Academy");
    expect((await ours(credential)).headline).toBe("Revoked");

    await revokeCertificate(db, staffId, certificateId, "Serious breach of the scope of practice", addMs(now, DAY));
    expect((await standardVerify(fresh)).statusResult?.results?.[0]?.status).toBe(true);
    expect((await ours(fresh)).headline).toBe("Revoked");
  });
});

describe("JSON-LD and the Open Badges schema", () => {
  it("expands in JSON-LD safe mode with only bundled contexts, leaving no term to @vocab", async () => {
    const { credential } = await certified();
    const expanded = JSON.stringify(await jsonld.expand(credential, { documentLoader: createDocumentLoader(), safe: true }));
    expect(expanded).not.toContain("https://www.w3.org/ns/credentials/issuer-dependent#");
    expect(expanded).toContain("https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementSubject");
    // The check can fail: an undefined term is caught.
    const extra = { ...credential, credentialSubject: { ...(credential.credentialSubject as object), favouriteColour: "blue" } };
    const caught = await jsonld.expand(extra, { documentLoader: createDocumentLoader(), safe: true }).then((e) => JSON.stringify(e).includes("issuer-dependent"), () => true);
    expect(caught).toBe(true);
  });

  it("the loader never reaches the network: an unknown context fails, it is not fetched", async () => {
    await expect(createDocumentLoader()("https://example.org/context.json")).rejects.toBeInstanceOf(DocumentNotBundled);
    const { credential } = await certified();
    const report = await ours({ ...credential, "@context": [...(credential["@context"] as string[]), "https://example.org/context.json"] });
    expect(report.signature.ok).toBe(false);
    expect(report.signature.text).toContain("could not be checked");
  });

  it("validates against 1EdTech's OB 3.0 AchievementCredential JSON Schema", async () => {
    const schema = JSON.parse(fs.readFileSync("tests/fixtures/ob-v3p0/ob_v3p0_achievementcredential_schema.json", "utf8")) as object;
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const { credential } = await certified();
    expect(validate(credential), JSON.stringify(validate.errors)).toBe(true);
    const { validFrom: _v, ...withoutValidFrom } = credential;
    expect(validate(withoutValidFrom)).toBe(false);
  });
});

describe("bad input on the credential form", () => {
  it("answers with a message, never an exception", () => {
    expect(parseCredentialText("")).toMatchObject({ ok: false, message: expect.stringContaining("Choose a credential file") });
    expect(parseCredentialText("not json")).toMatchObject({ ok: false, message: expect.stringContaining("not valid JSON") });
    expect(parseCredentialText("[1,2]")).toMatchObject({ ok: false, message: expect.stringContaining("single JSON object") });
    expect(parseCredentialText('{"type":"Thing"}')).toMatchObject({ ok: false, message: expect.stringContaining("not a verifiable credential") });
    expect(parseCredentialText(`{"a":"${"x".repeat(70_000)}"}`)).toMatchObject({ ok: false, message: expect.stringContaining("64 KB") });
    expect(parseCredentialText(JSON.stringify({ "@context": ["https://www.w3.org/ns/credentials/v2"], type: ["VerifiableCredential"] }))).toMatchObject({ ok: false, message: expect.stringContaining("no signature") });
  });
});

describe("credentials follow the certificate's life", () => {
  it("supersession revokes the old credential; the hourly sync revokes on lapsed evidence", async () => {
    const { syncCredentialStatuses } = await import("~/certificates/credentials/sync.server");
    const { issueCertificateIfEligible } = await import("~/certificates/issue.server");
    const { completeCertificateDocuments } = await import("~/certificates/documents.server");
    const { userId, certificateId, credential } = await certified();
    // Renewed insurance: a new certificate supersedes the old one.
    const policy = await db.selectFrom("insurance_policy").selectAll().where("user_id", "=", userId).executeTakeFirstOrThrow();
    const { id: _id, ...renewed } = policy;
    await db.insertInto("insurance_policy").values({ ...renewed, policy_number: `${policy.policy_number}-R`, end_date: "2027-12-31" }).execute();
    const later = addMs(now, DAY);
    const issued = await issueCertificateIfEligible(db, userId, later);
    expect(issued.issued).toBe(true);
    await completeCertificateDocuments(db, (issued as { certificateId: string }).certificateId, BASE, later);
    expect((await ours(credential, later)).headline).toBe("Revoked");
    const next = await credentialOf((issued as { certificateId: string }).certificateId);
    expect((await ours(next, later)).headline).toBe("Valid, issued by Approved Trainer Academy");
    expect(certificateId).not.toBe((issued as { certificateId: string }).certificateId);

    // The insurance no longer holds (here: its verification withdrawn): the hourly sync sets the
    // bit of the current credential, and a relying party holding the file sees it revoked.
    await db.updateTable("insurance_policy").set({ status: "rejected" }).where("user_id", "=", userId).execute();
    const summary = await syncCredentialStatuses(db, BASE, later);
    expect(summary.revoked).toBeGreaterThanOrEqual(1);
    const row = await db.selectFrom("issued_credential").select(["revoked_at", "revocation_reason"]).where("certificate_id", "=", (issued as { certificateId: string }).certificateId).executeTakeFirstOrThrow();
    expect(row.revocation_reason).toBe("certificate suspended (insurance lapsed)");
    expect((await ours(next, later)).headline).toBe("Revoked");
  });

  it("existing certificates get a credential at start, once; the pre-OB 3.0 key keeps its DID", async () => {
    const { createPrivateKey, generateKeyPairSync } = await import("node:crypto");
    const { prepareCredentials } = await import("~/certificates/credentials/startup.server");
    const fresh = await createTestDb();
    await registerModuleVersions(fresh, now);
    // An installation from before: a VC-JWT signing key in app_secret, certificates without credentials.
    const { privateKey } = generateKeyPairSync("ed25519");
    await fresh.insertInto("app_secret").values({ name: "credential_ed25519_pkcs8", value: privateKey.export({ type: "pkcs8", format: "pem" }).toString() }).execute();
    const raw = Buffer.from(createPrivateKey(privateKey.export({ type: "pkcs8", format: "pem" })).export({ format: "jwk" }).x!, "base64url");
    const staff = (await createUser(fresh, { role: "assessor" })).id;
    const trainer = await seedCertifiedTrainer(fresh, { name: "Old Timer", email: "old@example.test", password: "seeded password 1", staffUserId: staff }, BASE, now);
    const legacyDid = (await fresh.selectFrom("credential_issuer_key").select("did").executeTakeFirstOrThrow()).did;
    // did:key of an Ed25519 key: multibase "z" + base58btc(0xed 0x01 ‖ the raw public key).
    expect(legacyDid).toBe(`did:key:z${base58btc(Uint8Array.from([0xed, 0x01, ...raw]))}`);
    // Make it look like a certificate issued before credentials existed.
    await fresh.deleteFrom("issued_credential").execute();
    const first = await prepareCredentials(fresh, BASE, now);
    const second = await prepareCredentials(fresh, BASE, now);
    expect(first.upgraded).toBe(1);
    expect(second.upgraded).toBe(0);
    expect(first.did).toBe(legacyDid);
    const rows = await fresh.selectFrom("issued_credential").select(["certificate_id", "json"]).execute();
    expect(rows.map((r) => r.certificate_id)).toEqual([trainer.certificateId]);
  });
});

describe("key rotation", () => {
  it("new credentials use the new key; earlier ones still verify and can still be revoked", async () => {
    const { rotateIssuerKey, publishedIssuerKeys } = await import("~/certificates/credentials/keys.server");
    const { issuerProfile } = await import("~/certificates/credentials/http.server");
    const before = await certified();
    const { retired, current } = await rotateIssuerKey(db, now);
    expect(retired).toBe((before.credential.issuer as { id: string }).id);
    const after = await certified();
    expect((after.credential.issuer as { id: string }).id).toBe(current);
    expect((await ours(before.credential)).headline).toBe("Valid, issued by Approved Trainer Academy");
    expect((await ours(after.credential)).headline).toBe("Valid, issued by Approved Trainer Academy");
    const profile = issuerProfile(BASE, await publishedIssuerKeys(db));
    expect(profile.id).toBe(current);
    expect(profile.otherIdentifier.map((o) => o.identifier)).toEqual(expect.arrayContaining([retired, current]));
    // The retired key still re-signs its own status list, so revocation reaches old credentials.
    await revokeCertificate(db, staffId, before.certificateId, "Revoked after the key was rotated", addMs(now, DAY));
    expect((await standardVerify(before.credential)).statusResult?.results?.[0]?.status).toBe(true);
    expect((await ours(before.credential)).headline).toBe("Revoked");
  });
});
