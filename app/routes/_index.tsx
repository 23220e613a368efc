import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getOptionalUser } from "~/auth/guards.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  return { signedIn: user !== null };
}

export default function Home() {
  const { signedIn } = useLoaderData<typeof loader>();
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <p className="eyebrow">RMR Medical-Legal Personal Trainer Framework</p>
        <h1 id="hero-title">Become a Medical-Legal Approved Trainer</h1>
        <p className="lede">
          Personal trainers increasingly support people through rehabilitation after serious injury, often within personal-injury claims
          coordinated by a case manager. This academy is how RMR makes that work safe, consistent and accountable: you show your
          qualifications, insurance and Enhanced DBS check, complete four mandatory modules, and work to a defined scope of practice.
        </p>
        <p className="hero__actions">
          {signedIn ? (
            <Link className="button" to="/dashboard">
              Go to your dashboard
            </Link>
          ) : (
            <>
              <Link className="button" to="/signup">
                Create a trainer account
              </Link>
              <Link className="button button--secondary" to="/login">
                Sign in
              </Link>
            </>
          )}
        </p>
      </section>

      <section aria-labelledby="pillars-title" className="section">
        <h2 id="pillars-title">The three parts of the framework</h2>
        <ol className="cards cards--three">
          <li className="card">
            <h3>1. Entry requirements</h3>
            <p>
              A recognised personal-training qualification at Level 3 or above, public liability and professional indemnity insurance,
              and an Enhanced DBS check, each verified by an RMR assessor before any case work.
            </p>
          </li>
          <li className="card">
            <h3>2. Mandatory training</h3>
            <ul>
              <li>Safeguarding within rehabilitation settings</li>
              <li>The medical-legal environment and MDT roles</li>
              <li>Professional communication and report writing</li>
              <li>Manual handling awareness and safe physical support within defined scope</li>
            </ul>
          </li>
          <li className="card">
            <h3>3. Governance and oversight</h3>
            <p>
              A defined scope of practice, clear role boundaries, structured communication with the case manager and the wider
              multidisciplinary team, and ongoing oversight and support.
            </p>
          </li>
        </ol>
      </section>

      <section aria-labelledby="verifiers-title" className="section section--muted">
        <h2 id="verifiers-title">For case managers, solicitors and insurers</h2>
        <p>
          Every Approved Trainer certificate has a public verification page showing, today, whether the trainer is approved, what they
          may and may not do, and which version of each module they passed. Approval depends on live evidence: when insurance lapses or a
          DBS re-check falls due, the status changes the same day.
        </p>
      </section>
    </>
  );
}
