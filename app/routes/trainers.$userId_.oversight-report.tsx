import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ErrorSummary, Notice } from "~/components/form";
import { getDb } from "~/db.server";
import { recipientSchema } from "~/certificates/oversight-report";
import { buildOversightReport, listShares, requestShare, revokeShare } from "~/certificates/oversight-report.server";
import { OversightReportView } from "~/certificates/oversight-report-view";
import { RecipientForm, ShareButton, SharesTable } from "~/certificates/oversight-report-shares";
import { serverClock } from "~/utils/clock.server";
import { getEnv } from "~/utils/env.server";
import { formToObject, readForm, validate } from "~/utils/forms";
import { replyRefusal } from "~/utils/result";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Oversight report: ${data?.report.trainerName ?? "trainer"} · Approved Trainer Academy` }];

function trainerId(param: string | undefined): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("There is no such trainer.", { status: 404 });
  return id;
}

/** An admin prepares a trainer's oversight report for a commissioner; the trainer approves before it is sent (ADR 0043). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const id = trainerId(params.userId);
  const db = getDb();
  const now = serverClock();
  const report = await buildOversightReport(db, id, now);
  if (!report) throw new Response("There is no such trainer.", { status: 404 });
  return data({ trainerId: id, report, shares: await listShares(db, id, now) }, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const id = trainerId(params.userId);
  const form = formToObject(await readForm(request));
  const now = serverClock();
  if (form.intent === "withdraw") {
    const result = await revokeShare(getDb(), admin, form.shareId ?? "", now);
    if (!result.ok) return replyRefusal(result, { done: null });
    return { done: "The link has been withdrawn: it no longer opens the report.", message: null, fieldErrors: {} as Record<string, string> };
  }
  const parsed = validate(recipientSchema, form);
  if (!parsed.ok) return replyRefusal(parsed, { done: null });
  const result = await requestShare(getDb(), admin, id, parsed.value, getEnv().PUBLIC_BASE_URL, now);
  if (!result.ok) return replyRefusal(result, { done: null });
  return { done: "Request recorded. The trainer has been asked to read the report and approve sending it.", message: null, fieldErrors: {} as Record<string, string> };
}

export default function AdminOversightReport() {
  const { trainerId: id, report, shares } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="oversight-title">
      <p className="eyebrow">
        <Link to="/trainers">Trainers</Link> › <Link to={`/trainers/${id}`}>{report.trainerName}</Link>
      </p>
      <h1 id="oversight-title">Oversight report</h1>
      <p>What a commissioner receives. A report you prepare is sent only after the trainer has read it and approved; they are told at once.</p>
      {actionData?.done ? <Notice>{actionData.done}</Notice> : null}
      <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
      <div className="oversight-preview">
        <OversightReportView report={report} />
      </div>
      <p>
        <a href={`/trainers/${id}/oversight-report/pdf`} className="button button--secondary">
          Download as PDF
        </a>
      </p>
      <h2>Ask the trainer to send it</h2>
      <RecipientForm errors={actionData?.fieldErrors ?? {}} submitLabel="Ask the trainer to approve" busy={busy} />
      <h2>Reports sent or asked for</h2>
      <SharesTable label="Reports sent" shares={shares} actions={(s) => (s.state === "sent" ? <ShareButton intent="withdraw" share={s} label="Withdraw link" secondary /> : null)} />
    </section>
  );
}
