import { data, redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { Field, TextareaField } from "~/components/form";
import { readForm } from "~/utils/forms";
import { getDb } from "~/db.server";
import { getEnv } from "~/utils/env.server";
import { serverClock } from "~/utils/clock.server";
import { formatDate, formatMoment } from "~/utils/dates";
import { passRetryAfter, retryAfterSeconds } from "~/utils/result";
import { verifyRateLimiter } from "~/certificates/verify-http.server";
import { checkCredentialText, MAX_CREDENTIAL_BYTES, type CredentialReport } from "~/certificates/credentials/verify-credential.server";

export const headers = passRetryAfter;

export const meta: MetaFunction = () => [{ title: "Verify a certificate · Approved Trainer Academy" }, { name: "robots", content: "noindex" }];

const TOO_BIG = "That is larger than 64 KB; a credential from this academy is a few kilobytes. Check you chose the right file.";

async function readCredentialUpload(request: Request): Promise<{ text: string } | { error: string }> {
  if (Number(request.headers.get("content-length") ?? 0) > 3 * MAX_CREDENTIAL_BYTES) return { error: TOO_BIG };
  try {
    const form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_CREDENTIAL_BYTES + 1 }));
    const file = form.get("credentialFile");
    const fromFile = file instanceof File && file.size > 0 ? await file.text() : "";
    return { text: fromFile || String(form.get("credentialText") ?? "") };
  } catch {
    return { error: TOO_BIG };
  }
}

async function checkCredential(request: Request, ip: string) {
  const now = serverClock();
  const env = getEnv();
  const limiter = verifyRateLimiter(getDb(), { perMinute: env.VERIFY_RATE_LIMIT_PER_MINUTE, processes: env.ACADEMY_WORKERS });
  const wait = await limiter.retryAfterMs(ip, now);
  if (wait > 0) {
    const error = "Too many checks from this address in a short time. Wait a minute and try again.";
    return data({ form: "credential" as const, error, report: null }, { status: 429, headers: { "Retry-After": retryAfterSeconds(wait) } });
  }
  await limiter.record(ip, now);
  const upload = await readCredentialUpload(request);
  if ("error" in upload) return data({ form: "credential" as const, error: upload.error, report: null }, { status: 400 });
  const outcome = await checkCredentialText(getDb(), upload.text, getEnv().PUBLIC_BASE_URL, now);
  if (!outcome.ok) return data({ form: "credential" as const, error: outcome.message, report: null }, { status: outcome.status });
  return data({ form: "credential" as const, error: null, report: outcome.report });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) return checkCredential(request, context.clientIp);
  const form = await readForm(request);
  const id = String(form.get("id") ?? "")
    .trim()
    .toLowerCase()
    .replace(/^.*\/verify\//, "")
    .replace(/[\s-]/g, "");
  if (!id) return data({ form: "id" as const, error: "Enter the certificate ID printed on the certificate.", report: null }, { status: 400 });
  if (!/^[a-z2-7]{1,64}$/.test(id)) return data({ form: "id" as const, error: "Certificate IDs contain only letters a–z and digits 2–7. Check what you typed.", report: null }, { status: 400 });
  return redirect(`/verify/${id}`);
}

function CheckLine({ label, check }: { label: string; check: { ok: boolean | null; text: string } }) {
  const mark = check.ok === true ? "✓" : check.ok === false ? "✗" : "–";
  const word = check.ok === true ? "Yes" : check.ok === false ? "No" : "Not checked";
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        <span aria-hidden="true">{mark} </span>
        <strong>{word}.</strong> {check.text}
      </dd>
    </div>
  );
}

function CredentialResult({ report }: { report: CredentialReport }) {
  const tone = report.verdict === "valid" ? "valid" : "revoked";
  const period =
    report.validity.from && report.validity.until ? `Valid from ${formatMoment(report.validity.from)}; it expires on ${formatDate(report.validity.until.slice(0, 10))}.` : null;
  return (
    <section aria-labelledby="credential-result-title" className="verify">
      <h2 id="credential-result-title">Result</h2>
      <div className={`verify-status verify-status--${tone}`} role="status">
        <p className="verify-status__label">This credential is</p>
        <p className="verify-status__value">{report.headline}</p>
        {report.subjectName ? (
          <p>
            {report.achievement ?? "Credential"} for <strong>{report.subjectName}</strong>
          </p>
        ) : null}
      </div>
      <dl className="checks">
        <CheckLine label="Signature" check={report.signature} />
        <CheckLine label="Issued by the academy" check={report.issuer} />
        <CheckLine label="Within its validity period" check={report.validity} />
        <CheckLine label="Not revoked" check={report.status} />
      </dl>
      {period ? <p>{period}</p> : null}
      {report.issuer.did ? (
        <p className="muted">
          Issuer DID: <code className="did">{report.issuer.did}</code>. The academy publishes its keys on <a href="/issuer">its issuer page</a>.
        </p>
      ) : null}
      {report.certificateId ? (
        <p>
          <a href={`/verify/${report.certificateId}`}>See the certificate&rsquo;s live page</a>, with the scope of practice and the training completed.
        </p>
      ) : null}
    </section>
  );
}

export default function VerifyForm() {
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const idError = actionData?.form === "id" ? actionData.error ?? undefined : undefined;
  const credentialError = actionData?.form === "credential" ? actionData.error ?? undefined : undefined;
  return (
    <section className="narrow" aria-labelledby="verify-title">
      <h1 id="verify-title">Verify a certificate</h1>
      <p>
        Case managers, solicitors and insurers can check whether a trainer is a Medical-Legal Approved Trainer today. Scan the QR code on the certificate, or type its
        ID here.
      </p>
      {/* A document submission: /verify/<id> is served outside Remix, so the browser must follow the redirect. */}
      <Form method="post" noValidate className="stack" reloadDocument>
        <Field name="id" label="Certificate ID" hint="32 letters and digits, for example from the bottom of the certificate." autoComplete="off" spellCheck={false} required error={idError} />
        <button type="submit" className="button">
          Check the certificate
        </button>
      </Form>

      <h2 id="credential-title">Check a credential file</h2>
      <p>
        If a trainer gave you their signed credential (an Open Badges 3.0 file, ending in <code>.json</code>), upload it or paste its text. We check its signature, that
        it was issued by the academy, its validity period and whether it has been revoked. Nothing you upload is stored.
      </p>
      <Form method="post" encType="multipart/form-data" noValidate className="stack" aria-labelledby="credential-title">
        <Field
          name="credentialFile"
          type="file"
          label="Credential file"
          hint="At most 64 KB."
          accept=".json,application/json,application/ld+json,application/vc+ld+json"
          error={credentialError}
        />
        <TextareaField name="credentialText" label="Or paste the credential" hint="The whole text of the file, starting with {" spellCheck={false} />
        <button type="submit" className="button" disabled={busy}>
          Check the credential
        </button>
      </Form>
      {actionData?.report ? <CredentialResult report={actionData.report} /> : null}
      <p className="muted">
        Who signs the credentials: <Link to="/issuer" reloadDocument>the academy&rsquo;s issuer page</Link>.
      </p>
    </section>
  );
}
