import type { LoaderFunctionArgs } from "@remix-run/node";
import { evidenceFileResponse } from "~/evidence/serve.server";

/**
 * Evidence shown inline (the assessor's verification page frames it beside the fields): the same
 * people and the same audit as the download, `inline`, and framable by our own pages only
 * (`frame-ancestors 'self'`, sandboxed, ADR 0004).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return evidenceFileResponse(request, params.fileId ?? "", "preview");
}
