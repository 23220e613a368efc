import { createHash } from "node:crypto";
import { formatDate } from "~/utils/dates";

/**
 * The Open Badges 3.0 credential for a certificate, before signing. Pure: built only from the
 * certificate's snapshot, so a renamed account or a new content version never changes what was
 * awarded. Every term is defined by the VC 2.0 and OB 3.0.3 contexts (a unit test expands it in
 * JSON-LD safe mode); nothing falls back to `@vocab`.
 */
export const VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";
export const OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

export const ACHIEVEMENT_NAME = "Medical-Legal Approved Trainer";

export const CRITERIA_NARRATIVE = [
  "Awarded under RMR's Medical-Legal Personal Trainer Framework when all of the following hold at once:",
  "",
  "1. Entry requirements, each verified by an assessor and current: a Level 3 or higher personal-training qualification evidenced by an awarding-organisation certificate; insurance (public liability and professional indemnity) that is in date and meets the framework's minimum cover; an Enhanced DBS check with a suitability decision by the framework's governance, not past its re-check date.",
  "2. The four mandatory modules, each passed at the end-of-module assessment (at least the framework's pass mark): safeguarding within rehabilitation settings; the medical-legal environment and MDT roles; professional communication and report writing; manual handling awareness and safe physical support within defined scope.",
  "3. The report-writing task: a progress report written from a case scenario, marked as a pass by an assessor against the framework's rubric.",
  "4. The current scope of practice and communication agreement, read and accepted.",
  "",
  "It lapses at the earliest of the validity period, the end of the insurance, the DBS re-check date and the annual refresher of each module, and can be suspended or revoked by the framework's governance.",
].join("\n");

export interface OpenBadgeInput {
  baseUrl: string;
  credentialId: string;
  issuer: { did: string; name: string };
  certificate: {
    id: string;
    trainerName: string;
    issuedAt: string;
    expiresOn: string;
    modules: { title: string; passedAt: string; version: string }[];
    report: { releasedAt: string | null; version: string | null };
    scope: { may: string[]; mayNot: string[] };
    agreementVersion: string;
  };
  identity: { email: string; salt: string };
  status: { listUrl: string; index: number };
  issuedAt: Date;
}

/** Whole seconds, UTC, with the `Z` designator (what VC 2.0 and the OB schema expect). */
export function wholeSeconds(instant: Date | string): string {
  return `${new Date(instant).toISOString().slice(0, 19)}Z`;
}

/** OB 3.0 IdentityHash: `sha256$` + hex SHA-256 of the identifier followed by the salt. */
export function identityHash(identifier: string, salt: string): string {
  return `sha256$${createHash("sha256").update(`${identifier}${salt}`, "utf8").digest("hex")}`;
}

/** The UK day of an instant, as people read it (one date rule, issue 16.14): "1 June 2026". */
const day = (instant: string) => formatDate(instant);

function evidence(c: OpenBadgeInput["certificate"]) {
  const modules = c.modules.map((m) => ({
    type: ["Evidence"],
    name: `Module passed: ${m.title}`,
    description: `End-of-module assessment passed on ${day(m.passedAt)}.`,
    narrative: `Passed against content version ${m.version}.`,
    genre: "Module assessment",
  }));
  const report = {
    type: ["Evidence"],
    name: "Report-writing task passed",
    description: `A progress report written from a case scenario, marked as a pass by an assessor${c.report.releasedAt ? ` and released on ${day(c.report.releasedAt)}` : ""}.`,
    narrative: `Task version ${c.report.version ?? "unrecorded"}.`,
    genre: "Assessed written task",
  };
  const agreement = {
    type: ["Evidence"],
    name: "Scope of practice and communication agreement accepted",
    description: `Agreement version ${c.agreementVersion}.`,
    narrative: ["This trainer may:", ...c.scope.may.map((s) => `- ${s}`), "", "This trainer may not:", ...c.scope.mayNot.map((s) => `- ${s}`)].join("\n"),
    genre: "Agreement",
  };
  return [...modules, report, agreement];
}

export function buildOpenBadgeCredential(input: OpenBadgeInput): Record<string, unknown> {
  const { baseUrl, certificate: c } = input;
  return {
    "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT],
    id: `${baseUrl}/credentials/${input.credentialId}`,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: ACHIEVEMENT_NAME,
    description: `${c.trainerName} is a ${ACHIEVEMENT_NAME} (certificate ${c.id}; live status at ${baseUrl}/verify/${c.id}).`,
    issuer: { id: input.issuer.did, type: ["Profile"], name: input.issuer.name, url: `${baseUrl}/issuer` },
    validFrom: wholeSeconds(input.issuedAt),
    validUntil: `${c.expiresOn}T00:00:00Z`,
    awardedDate: wholeSeconds(c.issuedAt),
    credentialSubject: {
      type: ["AchievementSubject"],
      identifier: [
        { type: "IdentityObject", identityHash: identityHash(input.identity.email, input.identity.salt), identityType: "emailAddress", hashed: true, salt: input.identity.salt },
        { type: "IdentityObject", identityHash: c.trainerName, identityType: "name", hashed: false },
      ],
      achievement: {
        id: `${baseUrl}/issuer#medical-legal-approved-trainer`,
        type: ["Achievement"],
        achievementType: "Certification",
        name: ACHIEVEMENT_NAME,
        description: "Approval to support people in rehabilitation, including in personal-injury claims, as a personal trainer working within a defined scope of practice under RMR's Medical-Legal Personal Trainer Framework.",
        criteria: { narrative: CRITERIA_NARRATIVE },
      },
    },
    evidence: evidence(c),
    credentialStatus: {
      id: `${input.status.listUrl}#${input.status.index}`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: String(input.status.index),
      statusListCredential: input.status.listUrl,
    },
  };
}
