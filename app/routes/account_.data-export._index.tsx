import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { FormError, Notice } from "~/components/form";
import { listDataExports, requestOwnDataExport } from "~/data-export/exports.server";
import { EXPORT_LIFETIME_DAYS, OWN_EXPORTS_PER_DAY } from "~/data-export/rules";
import { DataExportList } from "~/data-export/ui";
import { getDb } from "~/db.server";
import { serverClock } from "~/utils/clock.server";
import { readForm } from "~/utils/forms";
import { passRetryAfter, replyRefusal } from "~/utils/result";

export const headers = passRetryAfter;

export const meta: MetaFunction = () => [{ title: "Your data · Approved Trainer Academy" }];

/** A trainer's own data requests (ADR 0033): ask for a copy, see where each stands. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (user.role !== "trainer") throw new Response("Staff accounts ask an administrator for a copy of their data.", { status: 403 });
  return data({ exports: await listDataExports(getDb(), user.id, user.id, serverClock()) }, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  await readForm(request);
  // The person's own data only: the subject comes from the session, never from the form.
  const result = await requestOwnDataExport(getDb(), user, serverClock());
  if (!result.ok) return replyRefusal(result);
  return redirect("/account/data-export?requested=1");
}

export default function YourData() {
  const { exports } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const [params] = useSearchParams();
  const requested = params.get("requested") === "1" && !refused;
  return (
    <section className="narrow" aria-labelledby="your-data-title">
      <p>
        <Link to="/account">Your account</Link>
      </p>
      <h1 id="your-data-title">Your data</h1>
      {requested ? (
        <Notice>We are preparing a copy of your data. We will email you a link to download it, usually within a few minutes.</Notice>
      ) : null}
      <FormError error={refused?.message} />
      <p>
        A copy of everything the academy holds about you, as one ZIP file: <code>manifest.json</code> inside it says what each part is. The link we email
        works for {EXPORT_LIFETIME_DAYS} days, only when you are signed in as yourself; then the file is deleted. You can ask for up to {OWN_EXPORTS_PER_DAY}{" "}
        copies in any 24 hours. This is your right of access under UK GDPR (see the <Link to="/privacy">privacy notice</Link>).
      </p>
      <Form method="post">
        <input type="hidden" name="intent" value="request" />
        <button type="submit" className="button">
          Ask for a copy of my data
        </button>
      </Form>
      <h2>Your requests</h2>
      <DataExportList exports={exports} caption="Your latest data requests, newest first" />
    </section>
  );
}
