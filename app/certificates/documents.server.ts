import type { DB } from "~db/connection";
import { serverClock } from "~/utils/clock.server";
import { renderCertificatePdf } from "./pdf.server";
import { refreshCertificateCredential } from "./credentials/sync.server";
import { invalidatePublicView } from "./public.server";

export function verificationUrl(baseUrl: string, id: string): string {
  return `${baseUrl}/verify/${id}`;
}

/** The certificate that `id` replaced, if any (an index seek: certificate_superseded_by). */
export function replacedBy(db: DB, id: string) {
  return db.selectFrom("certificate").select("id").where("superseded_by", "=", id);
}

/**
 * Generates and stores the PDF of an issued certificate from its snapshot, issues its Open
 * Badges 3.0 credential (and re-signs any status list a supersession changed). Run right after
 * issue, after the issuing transaction commits; safe to run again (it fills only what is missing).
 * It also clears the cached public view of the certificate this one superseded: only now, after
 * commit, can a fresh read see "superseded".
 */
export async function completeCertificateDocuments(db: DB, id: string, baseUrl: string, now: Date = serverClock()): Promise<{ pdf: Uint8Array } | null> {
  const cert = await db.selectFrom("certificate").selectAll().where("id", "=", id).executeTakeFirst();
  if (!cert) return null;
  const pdf = cert.pdf ?? Buffer.from(await renderCertificatePdf(cert, verificationUrl(baseUrl, id)));
  if (!cert.pdf) await db.updateTable("certificate").set({ pdf: Buffer.from(pdf) }).where("id", "=", id).where("pdf", "is", null).execute();
  await refreshCertificateCredential(db, id, baseUrl, now);
  const superseded = await replacedBy(db, id).executeTakeFirst();
  if (superseded) await invalidatePublicView(db, superseded.id);
  return { pdf };
}
