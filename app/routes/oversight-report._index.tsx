import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ErrorSummary, Notice } from "~/components/form";
import { getDb } from "~/db.server";
import { recipientSchema } from "~/certificates/oversight-report";
import { answerRequest, buildOversightReport, listShares, requestShare, revokeShare } from "~/certificates/oversight-report.server";
import { OversightReportView } from "~/certificates/oversight-report-view";
import { RecipientForm, ShareButton, SharesTable } from "~/certificates/oversight-report-shares";
import { serverClock } from "~/utils/clock.server";
import { getEnv } from "~/utils/env.server";
import { formToObject, readForm, validate } from "~/utils/forms";
import { replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Your oversight report · Approved Trainer Academy" }];

/** The trainer's own oversight report: what a commissioner will see, and the links sent (ADR 0043). */
export async function loader({ request }: LoaderFunctionArgs) {
  const trainer = await requireRole(request, "trainer");
  const db = getDb();
  const now = serverClock();
  const [report, shares] = await Promise.all([buildOversightReport(db, trainer.id, now), listShares(db, trainer.id, now)]);
  return data({ report: report!, shares }, { headers: { "Cache-Control": "private, no-store" } });
}

const DONE: Record<string, string> = {
  share: "The report has been sent. The recipient has an email with its link.",
  approve: "Approved: the report has been sent.",
  decline: "Declined: nothing was sent.",
  withdraw: "The link has been withdrawn: it no longer opens the report.",
};

export async function action({ request }: ActionFunctionArgs) {
  const trainer = await requireRole(request, "trainer");
  const form = formToObject(await readForm(request));
  const db = getDb();
  const now = serverClock();
  const baseUrl = getEnv().PUBLIC_BASE_URL;
  const intent = form.intent ?? "";
  if (intent === "share") {
    const parsed = validate(recipientSchema, form);
    if (!parsed.ok) return replyRefusal(parsed, { done: null });
    const result = await requestShare(db, trainer, trainer.id, parsed.value, baseUrl, now);
    if (!result.ok) return replyRefusal(result, { done: null });
  } else if (intent === "approve" || intent === "decline") {
    const result = await answerRequest(db, trainer, form.shareId ?? "", intent === "approve", baseUrl, now);
    if (!result.ok) return replyRefusal(result, { done: null });
  } else if (intent === "withdraw") {
    const result = await revokeShare(db, trainer, form.shareId ?? "", now);
    if (!result.ok) return replyRefusal(result, { done: null });
  } else {
    return data({ done: null, message: "Choose one of the page’s buttons.", fieldErrors: {} as Record<string, string> }, { status: 400 });
  }
  return { done: DONE[intent]!, message: null, fieldErrors: {} as Record<string, string> };
}

export default function OversightReportPage() {
  const { report, shares } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const waiting = shares.filter((s) => s.state === "awaiting trainer");
  return (
    <section aria-labelledby="oversight-title">
      <h1 id="oversight-title">Your oversight report</h1>
      <p>
        Case managers and solicitors who commission you can ask for evidence that you are approved and overseen. This report is exactly what they will see: your certificate and its history, the
        training you completed and the dates of your supervision sessions. Nothing private is in it.
      </p>
      {actionData?.done ? <Notice>{actionData.done}</Notice> : null}
      <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
      {waiting.length > 0 ? (
        <section aria-labelledby="waiting-title" className="panel">
          <h2 id="waiting-title">Waiting for your approval</h2>
          <p>An admin has asked to send your report to the people below. Read the report on this page first; it is sent only if you approve.</p>
          <SharesTable
            label="Requests waiting for your approval"
            shares={waiting}
            actions={(s) => (
              <>
                <ShareButton intent="approve" share={s} label="Approve and send" />
                <ShareButton intent="decline" share={s} label="Decline" secondary />
              </>
            )}
          />
        </section>
      ) : null}
      <h2>What the recipient will see</h2>
      <div className="oversight-preview">
        <OversightReportView report={report} />
      </div>
      <p>
        <a href="/oversight-report/pdf" className="button button--secondary">
          Download as PDF
        </a>
      </p>
      <h2>Send it to a commissioner</h2>
      <RecipientForm errors={actionData?.fieldErrors ?? {}} submitLabel="Send the report" busy={busy} />
      <h2>Reports sent</h2>
      <SharesTable label="Reports sent" shares={shares.filter((s) => s.state !== "awaiting trainer")} actions={(s) => (s.state === "sent" ? <ShareButton intent="withdraw" share={s} label="Withdraw link" secondary /> : null)} />
    </section>
  );
}
