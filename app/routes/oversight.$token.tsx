import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { openSharedReport } from "~/certificates/oversight-report.server";
import { OversightReportView } from "~/certificates/oversight-report-view";
import { serverClock } from "~/utils/clock.server";
import { formatDate } from "~/utils/dates";

/** The link is the key: never indexed, cached, or passed on as a referrer (ADR 0043). */
const PRIVATE_LINK_HEADERS = { "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer" };

export const headers: HeadersFunction = () => PRIVATE_LINK_HEADERS;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Oversight report: ${data.report.trainerName} · Approved Trainer Academy` : "Oversight report · Approved Trainer Academy" },
  { name: "robots", content: "noindex, nofollow" },
];

const GONE = "This link does not open a report. It may have expired or been withdrawn by the trainer, or the address may be incomplete: ask the trainer to send the report again.";

/** What a commissioner's link opens: the report read now, printable, with its PDF. */
export async function loader({ params }: LoaderFunctionArgs) {
  const opened = await openSharedReport(getDb(), params.token ?? "", serverClock());
  if (!opened) throw data(GONE, { status: 404, headers: PRIVATE_LINK_HEADERS });
  return data({ token: params.token!, ...opened }, { headers: PRIVATE_LINK_HEADERS });
}

export default function SharedOversightReport() {
  const { token, report, recipientName, expiresAt } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="shared-title" className="verify">
      <h1 id="shared-title" className="visually-hidden">
        Oversight report for {report.trainerName}
      </h1>
      <p className="no-print muted">
        Sent to {recipientName} at the trainer’s request. This link works until {formatDate(expiresAt)}.
      </p>
      <OversightReportView report={report} />
      <p className="no-print">
        <a href={`/oversight/${token}/pdf`} className="button">
          Download as PDF
        </a>{" "}
        or print this page.
      </p>
    </section>
  );
}
