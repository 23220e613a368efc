import type { LoaderFunctionArgs } from "@remix-run/node";
import { evidenceFileResponse } from "~/evidence/serve.server";

/**
 * Evidence downloads: only to the owner, assessors and admins; always as an attachment, never
 * sniffed, and sandboxed so that nothing in a file can run on our origin.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return evidenceFileResponse(request, params.fileId ?? "", "download");
}
