import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { changePassword } from "~/auth/accounts.server";
import { sessionCookie } from "~/auth/cookies.server";
import { getSession, requireUser } from "~/auth/guards.server";
import { endOtherSessions, endOwnSession, listSessions } from "~/auth/session.server";
import { describeUserAgent } from "~/auth/devices";
import { recordAudit } from "~/audit/audit.server";
import { formatMoment } from "~/utils/dates";
import { PASSWORD_MAX, PASSWORD_MIN, changePasswordSchema } from "~/auth/validation";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { Field, FormError, Notice } from "~/components/form";
import { formToObject, readForm, validate } from "~/utils/forms";
import { passRetryAfter, replyRefusal } from "~/utils/result";
import { ROLE_LABELS } from "~/navigation";
import { RadioGroup } from "~/components/form";
import { emailModeOf, isEmailMode, setEmailMode } from "~/notifications/notify.server";
import { DataExportAccountSection } from "~/data-export/ui";
import { ErasureSection } from "~/erasure/account-section";

export const headers = passRetryAfter;

export const meta: MetaFunction = () => [{ title: "Your account · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const session = (await getSession(request))!;
  const sessions = await listSessions(getDb(), user.id, session.sessionId, serverClock());
  return {
    name: user.name,
    email: user.email,
    role: user.role,
    emailMode: await emailModeOf(getDb(), user),
    secondFactor: session.secondFactor,
    sessions: sessions.map((s) => ({ id: s.id, device: describeUserAgent(s.userAgent), createdAt: s.createdAt, lastActiveAt: s.lastActiveAt, current: s.current })),
  };
}

/** Signing out other sessions (ADR 0031): the person's own only, audited, never this one. */
async function sessionAction(request: Request, userId: number, form: Record<string, string>) {
  const current = (await getSession(request))!.sessionId;
  const db = getDb();
  const now = serverClock();
  if (form.intent === "end-others") {
    const ended = await endOtherSessions(db, userId, current);
    await recordAudit(db, { actorUserId: userId, action: "account.sessions_ended", subjectType: "user", subjectId: String(userId), details: { ended, which: "all others" } }, now);
    return redirect(`/account?ended=${ended}#sessions`);
  }
  const target = form.sessionId ?? "";
  if (target === current) return data({ form: "sessions", message: "To sign out of this device, use “Sign out” at the top of the page.", fieldErrors: {} as Record<string, string> }, { status: 400 });
  const ended = await endOwnSession(db, userId, target);
  if (!ended) return data({ form: "sessions", message: "That session has ended already. The list below is up to date.", fieldErrors: {} as Record<string, string> }, { status: 409 });
  await recordAudit(db, { actorUserId: userId, action: "account.sessions_ended", subjectType: "user", subjectId: String(userId), details: { ended: 1, which: "one" } }, now);
  return redirect("/account?ended=1#sessions");
}

const EMAIL_MODE_OPTIONS = [
  { value: "immediate", label: "Email me about each one as it happens" },
  { value: "digest", label: "One email a day with everything since the last (sent from 7am)" },
];

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = formToObject(await readForm(request));
  if (form.intent === "end-session" || form.intent === "end-others") return sessionAction(request, user.id, form);
  if (form.intent === "notifications") {
    // The person's own choice only: the id comes from the session, never from the form.
    if (!isEmailMode(form.emailMode)) return data({ form: "notifications", message: null, fieldErrors: { emailMode: "Choose how we should email you." } as Record<string, string> }, { status: 400 });
    await setEmailMode(getDb(), user.id, form.emailMode, serverClock());
    return redirect("/account?saved=notifications#notification-email");
  }
  const parsed = validate(changePasswordSchema, form);
  if (!parsed.ok) return replyRefusal(parsed);
  const result = await changePassword(getDb(), user.id, parsed.value, serverClock());
  if (!result.ok) return replyRefusal(result);
  // A redirect, so the page that follows is loaded with the new session: rendered in this same
  // request, its loaders would still see the old (now deleted) one and sign the person out.
  return redirect("/account?changed=1", { headers: { "Set-Cookie": sessionCookie(result.value.sessionToken) } });
}

export default function Account() {
  const { name, email, role, emailMode, sessions, secondFactor } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const forNotifications = !!result && "form" in result && result.form === "notifications";
  const forSessions = !!result && "form" in result && result.form === "sessions";
  const actionData = forNotifications || forSessions ? undefined : result;
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const changed = params.get("changed") === "1" && !actionData;
  const saved = params.get("saved") === "notifications" && !result;
  const endedParam = params.get("ended");
  const ended = endedParam !== null && !result ? Number(endedParam) : null;
  const others = sessions.filter((s) => !s.current);
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const modeError = forNotifications ? (result.fieldErrors as Record<string, string>).emailMode : undefined;
  return (
    <section className="narrow" aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{name}</dd>
        <dt>Email address</dt>
        <dd>{email}</dd>
        <dt>Role</dt>
        <dd>{ROLE_LABELS[role]}</dd>
      </dl>
      {role === "trainer" ? (
        <p>
          <Link to="/register/your-listing">Your listing on the public register</Link>: join, change it or leave at any time.
        </p>
      ) : null}
      {role === "trainer" ? <DataExportAccountSection /> : null}
      <h2 id="notification-email">Notification emails</h2>
      <p>
        Everything is listed on your <Link to="/notifications">notifications page</Link>. Urgent news (your certificate suspended or revoked, an agreement to
        accept, something about to expire) is always emailed at once.
      </p>
      {saved ? <Notice>Your email choice has been saved.</Notice> : null}
      <Form method="post" noValidate className="stack">
        <input type="hidden" name="intent" value="notifications" />
        <RadioGroup name="emailMode" legend="For everything else" options={EMAIL_MODE_OPTIONS} defaultValue={emailMode} error={modeError} />
        <div>
          <button type="submit" className="button" disabled={busy}>
            Save email choice
          </button>
        </div>
      </Form>
      <h2 id="two-factor">Two-factor sign-in</h2>
      <p>
        {secondFactor ? "On: you sign in with your password and a code from your authenticator app." : "Off: you sign in with your password only."}{" "}
        <Link to="/account/two-factor">{secondFactor ? "Recovery codes and details" : "Set up two-factor sign-in"}</Link>
      </p>
      <h2 id="sessions">Where you are signed in</h2>
      <p>Each device or browser where you are signed in. If you do not recognise one, sign it out and change your password.</p>
      {ended !== null ? <Notice>{ended === 1 ? "1 session has been signed out." : `${ended} sessions have been signed out.`}</Notice> : null}
      {forSessions ? <FormError error={result.message} /> : null}
      <ul className="session-list">
        {sessions.map((s) => (
          <li key={s.id} className="session-list__item">
            <p>
              <strong>{s.device}</strong>
              {s.current ? (
                <>
                  {" "}
                  <span className="status status--info">This device</span>
                </>
              ) : null}
            </p>
            <p className="muted">
              Signed in {formatMoment(s.createdAt)}; last used {s.current ? "now" : `around ${formatMoment(s.lastActiveAt)}`}
            </p>
            {s.current ? null : (
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="end-session" />
                <input type="hidden" name="sessionId" value={s.id} />
                <button type="submit" className="button button--secondary" aria-label={`Sign out: ${s.device}, last used around ${formatMoment(s.lastActiveAt)}`}>
                  Sign out
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
      {others.length > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="end-others" />
          <button type="submit" className="button button--secondary">
            Sign out everywhere else
          </button>
        </Form>
      ) : null}
      <h2>Change your password</h2>
      <p>Changing your password signs you out everywhere else.</p>
      {changed ? <Notice>Your password has been changed. Other devices have been signed out.</Notice> : null}
      <Form method="post" noValidate className="stack" key={changed ? "done" : "form"}>
        <Field name="currentPassword" label="Current password" type="password" autoComplete="current-password" required error={errors.currentPassword} />
        <Field
          name="newPassword"
          label="New password"
          type="password"
          autoComplete="new-password"
          hint={`Between ${PASSWORD_MIN} and ${PASSWORD_MAX} characters.`}
          required
          error={errors.newPassword}
        />
        <Field name="confirmPassword" label="Confirm new password" type="password" autoComplete="new-password" required error={errors.confirmPassword} />
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Changing…" : "Change password"}
        </button>
      </Form>
      {role === "trainer" ? <ErasureSection /> : null}
    </section>
  );
}
