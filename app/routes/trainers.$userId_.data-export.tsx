import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ErrorSummary, Notice, TextareaField } from "~/components/form";
import { listDataExports, requestDataExportForTrainer } from "~/data-export/exports.server";
import { EXPORT_LIFETIME_DAYS, REASON_MAX } from "~/data-export/rules";
import { DataExportList } from "~/data-export/ui";
import { getDb } from "~/db.server";
import { serverClock } from "~/utils/clock.server";
import { formToObject, readForm } from "~/utils/forms";
import { replyRefusal } from "~/utils/result";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Data export: ${data?.trainer.name ?? "trainer"} · Approved Trainer Academy` }];

function trainerId(param: string | undefined): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("There is no such trainer.", { status: 404 });
  return id;
}

/** An admin produces a trainer's data export for a subject access request, with a reason, audited (ADR 0033). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const id = trainerId(params.userId);
  const db = getDb();
  const trainer = await db.selectFrom("user").select(["id", "name"]).where("id", "=", id).where("role", "=", "trainer").executeTakeFirst();
  if (!trainer) throw new Response("There is no such trainer.", { status: 404 });
  return data({ trainer, exports: await listDataExports(db, admin.id, id, serverClock()) }, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const id = trainerId(params.userId);
  const form = formToObject(await readForm(request));
  const result = await requestDataExportForTrainer(getDb(), admin, id, form.reason ?? "", serverClock());
  if (!result.ok) return replyRefusal(result, { reason: form.reason ?? "" });
  return redirect(`/trainers/${id}/data-export?requested=1`);
}

export default function TrainerDataExport() {
  const { trainer, exports } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const requested = params.get("requested") === "1" && !refused;
  return (
    <section className="narrow" aria-labelledby="sar-title">
      <p>
        <Link to={`/trainers/${trainer.id}`}>{trainer.name}</Link>
      </p>
      <h1 id="sar-title">Data export for {trainer.name}</h1>
      {requested ? <Notice>The export is being prepared. The link will be emailed to you, and works only for you, for {EXPORT_LIFETIME_DAYS} days.</Notice> : null}
      <p>
        For a subject access request: the same ZIP the trainer can ask for themselves (profile, entry requirements with evidence files, attempts and answers,
        reports and released feedback, agreements, certificates and credentials, supervision and concerns as the trainer is told of them, audit entries). The
        link is emailed to you; send the file to the trainer securely. Who asked, for whom, when and why is written to the audit trail.
      </p>
      <ErrorSummary message={refused?.message} fieldErrors={refused?.fieldErrors} />
      <Form method="post" noValidate className="stack">
        <TextareaField
          name="reason"
          label="Reason"
          hint={`For example: "Subject access request received by email on 2 December". At most ${REASON_MAX} characters.`}
          required
          maxLength={REASON_MAX}
          rows={3}
          defaultValue={refused?.reason ?? ""}
          error={refused?.fieldErrors.reason}
        />
        <div>
          <button type="submit" className="button" disabled={busy}>
            Produce the data export
          </button>
        </div>
      </Form>
      <h2>Your earlier exports for this trainer</h2>
      <DataExportList exports={exports} caption={`Data exports you produced for ${trainer.name}, newest first`} />
    </section>
  );
}
