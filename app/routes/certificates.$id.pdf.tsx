import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guards.server";
import { completeCertificateDocuments } from "~/certificates/documents.server";
import { getDb } from "~/db.server";
import { pdfDownload } from "~/utils/download";
import { getEnv } from "~/utils/env.server";

/** The stored PDF, to its trainer and to staff. Generated from the issued snapshot if missing. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const cert = await db.selectFrom("certificate").select(["id", "user_id", "pdf"]).where("id", "=", params.id ?? "").executeTakeFirst();
  if (!cert) throw new Response("There is no such certificate.", { status: 404 });
  if (user.role === "trainer" && cert.user_id !== user.id) throw new Response("This certificate belongs to another trainer.", { status: 403 });
  const pdf = cert.pdf ?? (await completeCertificateDocuments(db, cert.id, getEnv().PUBLIC_BASE_URL))!.pdf;
  return pdfDownload(pdf, `approved-trainer-certificate-${cert.id}.pdf`);
}
