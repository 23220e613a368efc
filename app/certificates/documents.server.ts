import type { DB } from "~db/connection";
import { ISSUER } from "./issue.server";
import { renderCertificatePdf } from "./pdf.server";
import { signCredential } from "./credential.server";

export function verificationUrl(baseUrl: string, id: string): string {
  return `${baseUrl}/verify/${id}`;
}

/**
 * Generates and stores the PDF and the signed credential of an issued certificate, from its
 * snapshot only. Run right after issue; safe to run again (it fills only what is missing).
 */
export async function completeCertificateDocuments(db: DB, id: string, baseUrl: string): Promise<{ pdf: Uint8Array; credential: string } | null> {
  const cert = await db.selectFrom("certificate").selectAll().where("id", "=", id).executeTakeFirst();
  if (!cert) return null;
  const url = verificationUrl(baseUrl, id);
  const pdf = cert.pdf ?? Buffer.from(await renderCertificatePdf(cert, url));
  const modules = JSON.parse(cert.modules_json) as { title: string; passedAt: string; version: string }[];
  const scope = JSON.parse(cert.scope_json) as { may: string[]; mayNot: string[] };
  const credential =
    cert.credential_jwt ??
    (await signCredential(db, {
      id: url,
      issuedAt: new Date(cert.issued_at),
      expiresOn: cert.expires_on,
      issuerName: ISSUER,
      statusUrl: `${url}.json`,
      subject: {
        name: cert.trainer_name,
        approvedAs: "Medical-Legal Approved Trainer",
        certificateId: cert.id,
        modulesPassed: modules.map((m) => ({ title: m.title, passedOn: m.passedAt.slice(0, 10), contentVersion: m.version })),
        scopeOfPractice: { may: scope.may, mayNot: scope.mayNot, agreementVersion: cert.agreement_version },
      },
    }));
  if (!cert.pdf || !cert.credential_jwt) {
    await db.updateTable("certificate").set({ pdf: Buffer.from(pdf), credential_jwt: credential }).where("id", "=", id).execute();
  }
  return { pdf, credential };
}
