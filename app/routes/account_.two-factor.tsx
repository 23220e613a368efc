import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { getSession, mustEnrolSecondFactor, requireSignedIn, safeRedirectPath } from "~/auth/guards.server";
import {
  ENROLMENT_EXPIRED,
  confirmEnrolment,
  enrolmentState,
  mayTurnOffSecondFactor,
  regenerateRecoveryCodes,
  secondFactorCounter,
  startEnrolment,
  turnOffSecondFactor,
} from "~/auth/two-factor.server";
import { serverClock } from "~/utils/clock.server";
import { formatMoment } from "~/utils/dates";
import { getDb } from "~/db.server";
import { Field, FormError, Notice } from "~/components/form";
import { formToObject, readForm } from "~/utils/forms";
import { passRetryAfter, replyRefusal } from "~/utils/result";

export const headers = passRetryAfter;

export const meta: MetaFunction = () => [{ title: "Two-factor sign-in · Approved Trainer Academy" }];

/**
 * Setting up two-factor sign-in (ADR 0032). Staff the policy requires it of are sent here before
 * any other page, so this page asks only for a signed-in person. The secret (QR code and text) is
 * shown only while set-up is unfinished; once on, never again. Once on, the page also makes new
 * recovery codes (with a code from the app) and turns it off (password and a code; trainers, or
 * staff only while the policy does not require it: otherwise the page says why, and the server
 * refuses a forged request with 403).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireSignedIn(request);
  const required = await mustEnrolSecondFactor((await getSession(request))!);
  const state = await enrolmentState(getDb(), user, serverClock());
  const qrSvg = state.state === "enrolling" ? await (await import("qrcode")).default.toString(state.uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 }) : null;
  const next = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"));
  const mayTurnOff = state.state === "on" && (await mayTurnOffSecondFactor(getDb(), user.role));
  return { required, state: state.state === "enrolling" ? { state: "enrolling" as const, secret: state.secret } : state, qrSvg, next, mayTurnOff };
}

type Intent = "start" | "confirm" | "regenerate" | "turn-off";
const reply = (intent: Intent, recoveryCodes: string[] | null = null, expired = false, turnedOff = false) => ({ intent, recoveryCodes, expired, turnedOff });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireSignedIn(request);
  const form = formToObject(await readForm(request));
  const here = `/account/two-factor${new URL(request.url).search}`;
  const done = { message: null, fieldErrors: {} as Record<string, string> };
  const db = getDb();
  if (form.intent === "start") {
    const started = await startEnrolment(db, user.id, serverClock());
    if (!started.ok) return replyRefusal(started, reply("start"));
    return redirect(here);
  }
  if (form.intent === "regenerate") {
    const made = await regenerateRecoveryCodes(db, secondFactorCounter(db), user.id, (form.code ?? "").slice(0, 64), serverClock());
    if (!made.ok) return replyRefusal(made, reply("regenerate"));
    return data({ ...reply("regenerate", made.value.recoveryCodes), ...done });
  }
  if (form.intent === "turn-off") {
    const session = (await getSession(request))!;
    const off = await turnOffSecondFactor(db, secondFactorCounter(db), { userId: user.id, role: user.role, sessionId: session.sessionId }, { password: form.password ?? "", code: (form.code ?? "").slice(0, 64) }, serverClock());
    if (!off.ok) return replyRefusal(off, reply("turn-off"));
    return data({ ...reply("turn-off", null, false, true), ...done });
  }
  const confirmed = await confirmEnrolment(db, user.id, (form.code ?? "").slice(0, 64), serverClock());
  // An expired set-up: a 400 does not reload the page's data, so the page is told to hide the old key.
  if (!confirmed.ok) return replyRefusal(confirmed, reply("confirm", null, confirmed.message === ENROLMENT_EXPIRED));
  return data({ ...reply("confirm", confirmed.value.recoveryCodes), ...done });
}

export default function TwoFactor() {
  const { required, state, qrSvg, next, mayTurnOff } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow" aria-labelledby="two-factor-title">
      <h1 id="two-factor-title">Two-factor sign-in</h1>
      {params.get("recovery") === "used" && !actionData ? <Notice>You signed in with a recovery code. It cannot be used again.</Notice> : null}
      {actionData?.turnedOff ? <Notice>Two-factor sign-in is now off. You sign in with your password only, and you have been signed out everywhere else.</Notice> : null}
      <FormError error={actionData?.message} />
      {actionData?.recoveryCodes ? (
        <RecoveryCodes codes={actionData.recoveryCodes} next={next} renewed={actionData.intent === "regenerate"} />
      ) : state.state === "on" ? (
        <>
          <p>Two-factor sign-in is on for your account since {formatMoment(state.confirmedAt)}. You sign in with your password and a code from your app.</p>
          <p>
            Recovery codes left: <strong>{state.recoveryCodesLeft}</strong> of 10. If you lose your phone and your recovery codes, an administrator can reset it.
          </p>
          <p>
            <Link to={next}>Continue</Link>
          </p>
          <NewRecoveryCodes error={actionData?.intent === "regenerate" ? actionData.fieldErrors.code : undefined} busy={busy} />
          <TurnOff allowed={mayTurnOff} errors={actionData?.intent === "turn-off" ? actionData.fieldErrors : {}} busy={busy} />
        </>
      ) : state.state === "enrolling" && !actionData?.expired ? (
        <Enrolling secret={state.secret} qrSvg={qrSvg ?? ""} error={actionData?.fieldErrors.code} busy={busy} />
      ) : (
        <>
          {required ? (
            <p>Staff accounts must use two-factor sign-in. Set it up now to continue: it takes a minute, with an authenticator app on your phone.</p>
          ) : (
            <p>Protect your account with a code from an authenticator app on your phone, as well as your password.</p>
          )}
          <Form method="post">
            <input type="hidden" name="intent" value="start" />
            <button type="submit" className="button" disabled={busy}>
              Set up two-factor sign-in
            </button>
          </Form>
        </>
      )}
    </section>
  );
}

function Enrolling({ secret, qrSvg, error, busy }: { secret: string; qrSvg: string; error?: string; busy: boolean }) {
  return (
    <>
      <ol>
        <li>Open an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator or 1Password) and add an account.</li>
        <li>Scan this QR code, or type the key below into the app.</li>
        <li>Enter the 6-digit code the app then shows. Set-up must be finished within 15 minutes.</li>
      </ol>
      <div className="qr-code" role="img" aria-label="QR code to scan with your authenticator app" dangerouslySetInnerHTML={{ __html: qrSvg }} />
      <p>
        Key to type into the app: <code id="two-factor-secret">{secret}</code>
      </p>
      <Form method="post" noValidate className="stack">
        <input type="hidden" name="intent" value="confirm" />
        <Field name="code" label="Code from your app" inputMode="numeric" autoComplete="one-time-code" required error={error} />
        <button type="submit" className="button" disabled={busy}>
          Turn on two-factor sign-in
        </button>
      </Form>
      <Form method="post">
        <input type="hidden" name="intent" value="start" />
        <button type="submit" className="button button--secondary" disabled={busy}>
          Start again with a new key
        </button>
      </Form>
    </>
  );
}

function NewRecoveryCodes({ error, busy }: { error?: string; busy: boolean }) {
  return (
    <section aria-labelledby="new-codes-title">
      <h2 id="new-codes-title">New recovery codes</h2>
      <p>Used some, or lost them? Make ten new ones. Your old recovery codes stop working at once.</p>
      <Form method="post" noValidate className="stack">
        <input type="hidden" name="intent" value="regenerate" />
        <Field id="field-regenerate-code" name="code" label="Code from your app" hint="6 digits from your app (not a recovery code)." inputMode="numeric" autoComplete="one-time-code" required error={error} />
        <button type="submit" className="button" disabled={busy}>
          Make new recovery codes
        </button>
      </Form>
    </section>
  );
}

function TurnOff({ allowed, errors, busy }: { allowed: boolean; errors: Record<string, string>; busy: boolean }) {
  return (
    <section aria-labelledby="turn-off-title">
      <h2 id="turn-off-title">Turn off two-factor sign-in</h2>
      {allowed ? (
        <>
          <p>You will then sign in with your password only, and every other place you are signed in will be signed out. Your recovery codes stop working.</p>
          <Form method="post" noValidate className="stack">
            <input type="hidden" name="intent" value="turn-off" />
            <Field id="field-turn-off-password" name="password" type="password" label="Your password" autoComplete="current-password" required error={errors.password} />
            <Field
              id="field-turn-off-code"
              name="code"
              label="Code from your app, or a recovery code"
              autoComplete="one-time-code"
              spellCheck={false}
              required
              error={errors.code}
            />
            <button type="submit" className="button button--secondary" disabled={busy}>
              Turn off two-factor sign-in
            </button>
          </Form>
        </>
      ) : (
        <p>Staff accounts must use two-factor sign-in while the academy&apos;s policy requires it, so you cannot turn it off.</p>
      )}
    </section>
  );
}

function RecoveryCodes({ codes, next, renewed }: { codes: string[]; next: string; renewed: boolean }) {
  return (
    <>
      <Notice>{renewed ? "New recovery codes made. Your old recovery codes no longer work." : "Two-factor sign-in is now on."}</Notice>
      <h2 id="recovery-codes-title">Your recovery codes</h2>
      <p>
        If you lose your phone, each of these codes signs you in once instead of a code from the app. <strong>They are shown only now</strong>: print them or keep them in
        a password manager.
      </p>
      <ul className="recovery-codes" aria-labelledby="recovery-codes-title">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <p>
        <Link to={next} className="button">
          I have kept my recovery codes: continue
        </Link>
      </p>
    </>
  );
}
