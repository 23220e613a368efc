import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { listUserPage, parseUserListQuery } from "~/auth/user-list.server";
import { Pagination, SearchField } from "~/components/pagination";
import { formatDate } from "~/utils/dates";
import { z } from "zod";
import { changeUserRole, setUserDisabled } from "~/auth/accounts.server";
import { requireRole } from "~/auth/guards.server";
import { roleField } from "~/auth/validation";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { FormError, Notice } from "~/components/form";
import { formToObject, readForm, validate } from "~/utils/forms";
import { ROLE_LABELS } from "~/navigation";
import { ROLES } from "~db/schema";

export const meta: MetaFunction = () => [{ title: "Users · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const query = parseUserListQuery(new URL(request.url).searchParams);
  const page = await listUserPage(getDb(), query);
  return { page, currentUserId: admin.id, q: query.q, role: query.role ?? "", status: query.status ?? "", sort: query.sort };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("role"), userId: z.coerce.number().int().positive(), role: roleField }),
  z.object({ intent: z.literal("disable"), userId: z.coerce.number().int().positive() }),
  z.object({ intent: z.literal("enable"), userId: z.coerce.number().int().positive() }),
], { error: "Choose an action." });

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const parsed = validate(actionSchema, formToObject(await readForm(request)));
  if (!parsed.ok) return data({ error: parsed.message ?? Object.values(parsed.fieldErrors)[0] ?? "That request was not valid.", done: null }, { status: 400 });
  const input = parsed.value;
  const db = getDb();
  const now = serverClock();
  if (input.intent === "role") {
    const changed = await changeUserRole(db, admin.id, input.userId, input.role, now);
    if (!changed.ok) return data({ error: changed.message ?? Object.values(changed.fieldErrors)[0] ?? "That change was refused.", done: null }, { status: changed.status });
    const { name, changed: didChange } = changed.value;
    const label = ROLE_LABELS[input.role].toLowerCase();
    const role = `${/^[aeiou]/.test(label) ? "an" : "a"} ${label}`;
    return { error: undefined, done: didChange ? `${name} is now ${role}. They have been signed out everywhere and sign in again with their new role.` : `${name} was already ${role}; nothing changed.` };
  }
  const result = await setUserDisabled(db, admin.id, input.userId, input.intent === "disable", now);
  if (!result.ok) return data({ error: result.message ?? Object.values(result.fieldErrors)[0] ?? "That change was refused.", done: null }, { status: result.status });
  return { error: undefined, done: input.intent === "disable" ? "Account disabled and signed out everywhere." : "Account re-enabled." };
}

export default function AdminUsers() {
  const { page, currentUserId, q, role, status, sort } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const users = page.items;
  const pager = { ...page, shown: users.length };
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <FormError error={actionData?.error} />
      {actionData?.done ? <Notice>{actionData.done}</Notice> : null}
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
                  <td>{user.name}</td>
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
