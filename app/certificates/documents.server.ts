import type { DB } from "~db/connection";
import { serverClock } from "~/utils/clock.server";
import { renderCertificatePdf } from "./pdf.server";
import { refreshCertificateCredential } from "./credentials/sync.server";

export function verificationUrl(baseUrl: string, id: string): string {
  return `${baseUrl}/verify/${id}`;
}

/**
 * Generates and stores the PDF of an issued certificate from its snapshot, issues its Open
 * Badges 3.0 credential (and re-signs any status list a supersession changed). Run right after
 * issue, outside the issuing transaction; safe to run again (it fills only what is missing).
 */
export async function completeCertificateDocuments(db: DB, id: string, baseUrl: string, now: Date = serverClock()): Promise<{ pdf: Uint8Array } | null> {
  const cert = await db.selectFrom("certificate").selectAll().where("id", "=", id).executeTakeFirst();
  if (!cert) return null;
  const pdf = cert.pdf ?? Buffer.from(await renderCertificatePdf(cert, verificationUrl(baseUrl, id)));
  if (!cert.pdf) await db.updateTable("certificate").set({ pdf: Buffer.from(pdf) }).where("id", "=", id).where("pdf", "is", null).execute();
  await refreshCertificateCredential(db, id, baseUrl, now);
  return { pdf };
}
