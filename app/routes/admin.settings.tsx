import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ADMIN_SETTINGS } from "~/navigation";

export const meta: MetaFunction = () => [{ title: "Settings · Approved Trainer Academy" }];

/** Admins only: one page that leads to every setting, so the main navigation stays short. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return null;
}

export default function AdminSettings() {
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <p>How the academy decides, marks and publishes. Every change is recorded in the audit trail under your name.</p>
      <ul className="cards">
        {ADMIN_SETTINGS.map((page) => (
          <li key={page.to} className="card">
            <h2>
              <Link to={page.to}>{page.label}</Link>
            </h2>
            <p>{page.description}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
