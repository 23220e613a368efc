import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { listUserPage, parseUserListQuery } from "~/auth/user-list.server";
import { Pagination, SearchField } from "~/components/pagination";
import { formatDate } from "~/utils/dates";
import { z } from "zod";
import { changeUserRole, setUserDisabled } from "~/auth/accounts.server";
import { requireRole } from "~/auth/guards.server";
import { inviteSchema, roleField } from "~/auth/validation";
import { inviteUser, listPendingInvitations, type PendingInvitation } from "~/auth/invitations.server";
import { getEnv } from "~/utils/env.server";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { Field, FormError, Notice, SelectField } from "~/components/form";
import { formToObject, readForm, validate } from "~/utils/forms";
import { ROLE_LABELS } from "~/navigation";
import { ROLES } from "~db/schema";

export const meta: MetaFunction = () => [{ title: "Users · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const query = parseUserListQuery(new URL(request.url).searchParams);
  const [page, invitations] = await Promise.all([listUserPage(getDb(), query), listPendingInvitations(getDb(), serverClock())]);
  return { page, invitations, currentUserId: admin.id, q: query.q, role: query.role ?? "", status: query.status ?? "", sort: query.sort };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("role"), userId: z.coerce.number().int().positive(), role: roleField }),
  z.object({ intent: z.literal("disable"), userId: z.coerce.number().int().positive() }),
  z.object({ intent: z.literal("enable"), userId: z.coerce.number().int().positive() }),
], { error: "Choose an action." });

const NO_FIELD_ERRORS: Record<string, string> = {};

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const form = formToObject(await readForm(request));
  if (form.intent === "invite") {
    const invite = validate(inviteSchema, form);
    const values = { email: (form.email ?? "").slice(0, 254), role: form.role ?? "" };
    if (!invite.ok) return data({ error: undefined, done: null, fieldErrors: invite.fieldErrors, values }, { status: 400 });
    const invited = await inviteUser(getDb(), admin, invite.value, getEnv().PUBLIC_BASE_URL, serverClock());
    if (!invited.ok) return data({ error: invited.message ?? undefined, done: null, fieldErrors: invited.fieldErrors, values }, { status: invited.status });
    return { error: undefined, done: `Invitation sent to ${invite.value.email} as ${ROLE_LABELS[invite.value.role].toLowerCase()}. The link works once, for 7 days.`, fieldErrors: NO_FIELD_ERRORS, values: null };
  }
  const parsed = validate(actionSchema, form);
  if (!parsed.ok) return data({ error: parsed.message ?? Object.values(parsed.fieldErrors)[0] ?? "That request was not valid.", done: null, fieldErrors: NO_FIELD_ERRORS, values: null }, { status: 400 });
  const input = parsed.value;
  const db = getDb();
  const now = serverClock();
  if (input.intent === "role") {
    const changed = await changeUserRole(db, admin.id, input.userId, input.role, now);
    if (!changed.ok) return data({ error: changed.message ?? Object.values(changed.fieldErrors)[0] ?? "That change was refused.", done: null, fieldErrors: NO_FIELD_ERRORS, values: null }, { status: changed.status });
    const { name, changed: didChange } = changed.value;
    const label = ROLE_LABELS[input.role].toLowerCase();
    const role = `${/^[aeiou]/.test(label) ? "an" : "a"} ${label}`;
    const done = didChange ? `${name} is now ${role}. They have been signed out everywhere and sign in again with their new role.` : `${name} was already ${role}; nothing changed.`;
    return { error: undefined, done, fieldErrors: NO_FIELD_ERRORS, values: null };
  }
  const result = await setUserDisabled(db, admin.id, input.userId, input.intent === "disable", now);
  if (!result.ok) return data({ error: result.message ?? Object.values(result.fieldErrors)[0] ?? "That change was refused.", done: null, fieldErrors: NO_FIELD_ERRORS, values: null }, { status: result.status });
  return { error: undefined, done: input.intent === "disable" ? "Account disabled and signed out everywhere." : "Account re-enabled.", fieldErrors: NO_FIELD_ERRORS, values: null };
}

export default function AdminUsers() {
  const { page, invitations, currentUserId, q, role, status, sort } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const users = page.items;
  const pager = { ...page, shown: users.length };
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <FormError error={actionData?.error} />
      {actionData?.done ? <Notice>{actionData.done}</Notice> : null}
      <InviteForm fieldErrors={actionData?.fieldErrors ?? NO_FIELD_ERRORS} values={actionData?.values ?? null} />
      <PendingInvitations invitations={invitations} />
      <h2>Accounts</h2>
      <Form method="get" className="list-filters" role="search" aria-label="Find users">
        <SearchField id="user-search" label="Search by name or email" value={q} />
        <div className="field">
          <label htmlFor="user-role">Role</label>
          <select id="user-role" name="role" defaultValue={role}>
            <option value="">Any role</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="user-status">Status</label>
          <select id="user-status" name="status" defaultValue={status}>
            <option value="">Any status</option>
            <option value="active">Active</option>
            <option value="disabled">Disabled</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="user-sort">Order</label>
          <select id="user-sort" name="sort" defaultValue={sort}>
            <option value="newest">Newest first</option>
            <option value="name">By name</option>
          </select>
        </div>
        <button type="submit" className="button button--small">
          Search
        </button>
      </Form>
      <Pagination page={pager} label="Pages of users" noun="accounts" />
      <div className="table-wrap" role="region" aria-label="Users" tabIndex={0}>
        <table>
          <caption className="visually-hidden">Accounts, {sort === "name" ? "by name" : "newest first"}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Joined</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.length === 0 ? (
              <tr>
                <td colSpan={6}>No accounts match.</td>
              </tr>
            ) : null}
            {users.map((user) => {
              const self = user.id === currentUserId;
              return (
                <tr key={user.id}>
                  <td>{user.role === "trainer" ? <Link to={`/trainers/${user.id}`}>{user.name}</Link> : user.name}</td>
                  <td>{user.email}</td>
                  <td>
                    {self ? (
                      ROLE_LABELS[user.role]
                    ) : (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="role" />
                        <input type="hidden" name="userId" value={user.id} />
                        <label className="visually-hidden" htmlFor={`role-${user.id}`}>
                          Role for {user.name}
                        </label>
                        <select id={`role-${user.id}`} name="role" defaultValue={user.role}>
                          {ROLES.map((role) => (
                            <option key={role} value={role}>
                              {ROLE_LABELS[role]}
                            </option>
                          ))}
                        </select>
                        <button type="submit" className="button button--small button--secondary">
                          Change role<span className="visually-hidden"> for {user.name}</span>
                        </button>
                      </Form>
                    )}
                  </td>
                  <td>{user.disabledAt ? <span className="status status--bad">Disabled</span> : <span className="status status--good">Active</span>}</td>
                  <td>{formatDate(user.createdAt)}</td>
                  <td>
                    {self ? (
                      <span className="muted">You</span>
                    ) : (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value={user.disabledAt ? "enable" : "disable"} />
                        <input type="hidden" name="userId" value={user.id} />
                        <button type="submit" className="button button--small button--secondary">
                          {user.disabledAt ? "Re-enable" : "Disable"}
                          <span className="visually-hidden"> {user.name}</span>
                        </button>
                      </Form>
                    )}
                    {self ? null : (
                      <>
                        {" "}
                        <Link to={`/admin/users/${user.id}/two-factor`} className="button button--small button--secondary">
                          Reset two-factor<span className="visually-hidden"> sign-in of {user.email}</span>
                        </Link>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Pagination page={pager} label="Pages of users, below the table" noun="accounts" />
    </section>
  );
}

function InviteForm({ fieldErrors, values }: { fieldErrors: Record<string, string>; values: { email: string; role: string } | null }) {
  return (
    <section aria-labelledby="invite-title" className="card">
      <h2 id="invite-title">Invite someone</h2>
      <p className="muted">They get an email with a link that works once, for 7 days, to choose their name and password.</p>
      <Form method="post" noValidate className="list-filters">
        <input type="hidden" name="intent" value="invite" />
        <Field name="email" id="invite-email" label="Their email address" type="email" autoComplete="off" defaultValue={values?.email} error={fieldErrors.email} />
        <SelectField
          name="role"
          id="invite-role"
          label="Their role"
          options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
          placeholder="Choose a role"
          defaultValue={values?.role ?? ""}
          error={fieldErrors.role}
        />
        <button type="submit" className="button button--small">
          Send invitation
        </button>
      </Form>
    </section>
  );
}

function PendingInvitations({ invitations }: { invitations: PendingInvitation[] }) {
  if (invitations.length === 0) return null;
  return (
    <section aria-labelledby="pending-title">
      <h2 id="pending-title">Invitations not yet accepted</h2>
      <div className="table-wrap" role="region" aria-label="Invitations not yet accepted" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Invited by</th>
              <th scope="col">Sent</th>
              <th scope="col">Expires</th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <td>{i.email}</td>
                <td>{ROLE_LABELS[i.role]}</td>
                <td>{i.invitedBy}</td>
                <td>{formatDate(i.createdAt)}</td>
                <td>{formatDate(i.expiresAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
