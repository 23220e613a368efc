import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { Notice } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Dashboard · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { name: user.name, role: user.role };
}

const TRAINER_STEPS = [
  { title: "Entry requirements", body: "Record your qualification, insurance and Enhanced DBS check for an assessor to verify." },
  { title: "Four mandatory modules", body: "Study each module and pass its end-of-module assessment." },
  { title: "Report-writing task", body: "Write a progress report from a case scenario, marked by an assessor." },
  { title: "Scope of practice agreement", body: "Read and accept the scope of practice and communication agreement." },
];

export default function Dashboard() {
  const { name, role } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Welcome, {name}</h1>
      {params.get("welcome") === "1" ? <Notice>Your account has been created.</Notice> : null}
      {role === "trainer" ? (
        <>
          <p className="lede">Your path to becoming a Medical-Legal Approved Trainer has four parts. Each shows here as you complete it.</p>
          <ol className="checklist">
            {TRAINER_STEPS.map((step) => (
              <li key={step.title} className="checklist__item">
                <span className="status status--todo">Not started</span>
                <div>
                  <h2 className="checklist__title">{step.title}</h2>
                  <p>{step.body}</p>
                </div>
              </li>
            ))}
          </ol>
          <p>
            <Link to="/requirements">Go to your entry requirements</Link>
          </p>
        </>
      ) : role === "assessor" ? (
        <p className="lede">Evidence to verify and report-writing submissions to mark will appear here as trainers submit them.</p>
      ) : (
        <>
          <p className="lede">Manage accounts and read the audit trail.</p>
          <ul className="cards cards--two">
            <li className="card">
              <h2>
                <Link to="/admin/users">Users and roles</Link>
              </h2>
              <p>Change a role, disable or re-enable an account.</p>
            </li>
            <li className="card">
              <h2>
                <Link to="/admin/audit">Audit trail</Link>
              </h2>
              <p>Every decision, who made it and when.</p>
            </li>
          </ul>
        </>
      )}
    </section>
  );
}
