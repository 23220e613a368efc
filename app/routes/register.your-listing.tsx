import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { CheckboxField, ErrorSummary, Field, Notice, TextareaField } from "~/components/form";
import { getDb } from "~/db.server";
import { AreaSelect } from "~/register/area-select";
import { areaLabel } from "~/register/areas";
import { getOwnListing, saveOwnListing, withdrawOwnListing } from "~/register/register.server";
import { PROFILE_MAX, listingSchema } from "~/register/validation";
import { serverClock } from "~/utils/clock.server";
import { formatMoment } from "~/utils/dates";
import { formToObject, readForm, validate } from "~/utils/forms";
import { replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Your register listing · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  return { listing: await getOwnListing(getDb(), user.id, serverClock()) };
}

/** Always the signed-in trainer's own listing: the form carries no user id to change. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const form = formToObject(await readForm(request));
  const now = serverClock();
  if (form.intent === "withdraw") {
    const result = await withdrawOwnListing(getDb(), user.id, now);
    if (!result.ok) return replyRefusal(result);
    return redirect("/register/your-listing?withdrawn=1");
  }
  const parsed = validate(listingSchema, form);
  if (!parsed.ok) return replyRefusal(parsed);
  const result = await saveOwnListing(getDb(), user.id, parsed.value, now);
  if (!result.ok) return replyRefusal(result);
  return redirect(`/register/your-listing?saved=${result.value.consentGiven ? "joined" : "updated"}`);
}

export default function YourListing() {
  const { listing } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const saved = actionData ? null : params.get("saved");
  return (
    <section className="narrow" aria-labelledby="listing-title">
      <h1 id="listing-title">Your listing on the public register</h1>
      <p>
        The <Link to="/register">register of Medical-Legal Approved Trainers</Link> helps case managers and solicitors find an approved trainer in their area. Being listed
        is your choice: you can leave at any time. It shows your name, the area you work in, the first part of your postcode if you give it, a short profile and your
        certificate&rsquo;s live status. It never shows your email address or phone number: enquiries reach you by email through the academy.
      </p>
      {saved === "joined" ? <Notice>You have joined the register. Your consent has been recorded.</Notice> : null}
      {saved === "updated" ? <Notice>Your listing has been updated.</Notice> : null}
      {!actionData && params.get("withdrawn") === "1" ? <Notice>You have left the register. You no longer appear on it.</Notice> : null}
      {listing ? (
        <section className="card" aria-labelledby="listing-state-title">
          <h2 id="listing-state-title">{listing.listedNow ? "You are on the register" : "You are not shown on the register today"}</h2>
          <p>
            You consented on {formatMoment(listing.consentedAt)} to be listed in {areaLabel(listing.area)}
            {listing.postcodeDistrict ? ` (${listing.postcodeDistrict})` : ""}.
          </p>
          {listing.listedNow ? null : <p>Only trainers whose certificate is valid today are shown. You will appear again as soon as your certificate is valid.</p>}
          <Form method="post">
            <input type="hidden" name="intent" value="withdraw" />
            <button type="submit" className="button button--secondary" disabled={busy}>
              Leave the register
            </button>
          </Form>
        </section>
      ) : null}
      <h2>{listing ? "Change your listing" : "Join the register"}</h2>
      <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
      <Form method="post" noValidate className="stack">
        <input type="hidden" name="intent" value="save" />
        <AreaSelect id="field-area" name="area" label="Area you work in" defaultValue={listing?.area ?? ""} emptyLabel="Choose an area" error={errors.area} />
        <Field
          name="postcodeDistrict"
          label="First part of your postcode (optional)"
          hint="Only the district, like SW1A or M1; never your full postcode."
          defaultValue={listing?.postcodeDistrict ?? ""}
          maxLength={8}
          autoComplete="off"
          error={errors.postcodeDistrict}
        />
        <TextareaField
          name="profile"
          label="Short profile (optional)"
          hint={`Up to ${PROFILE_MAX} characters of plain text, within your scope of practice: the kind of rehabilitation support you offer. No contact details.`}
          defaultValue={listing?.profile ?? ""}
          rows={4}
          error={errors.profile}
        />
        <CheckboxField
          name="consent"
          label="I agree to my name, area, profile and certificate status being shown on the public register. I can withdraw at any time."
          defaultChecked={listing !== null}
          error={errors.consent}
        />
        <button type="submit" className="button" disabled={busy}>
          {listing ? "Save my listing" : "Join the register"}
        </button>
      </Form>
    </section>
  );
}
