import { readForm } from "~/utils/forms";
import { MAX_REPORT_REQUEST_BYTES } from "./rules";

/**
 * Reads the report editor's form (draft autosave and submission) with `readForm`, allowing the
 * report's larger body: an oversized report is refused with a clear message (413) while it streams.
 */
export function readReportForm(request: Request, maxBytes = MAX_REPORT_REQUEST_BYTES): Promise<URLSearchParams> {
  return readForm(request, { maxBytes, tooLargeMessage: "That report is too large to send. The limit is 20,000 words; shorten it and try again." });
}
