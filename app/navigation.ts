import type { Role } from "~db/schema";

export const ROLE_LABELS: Record<Role, string> = { trainer: "Trainer", assessor: "Assessor", admin: "Admin" };

export interface NavItem {
  to: string;
  label: string;
  end?: boolean;
  /** Load as a new document: pages that evaluate precompiled MDX need their own CSP (ADR 0004). */
  reloadDocument?: boolean;
  /** Other paths that belong to this entry: it is shown as current on them too. */
  section?: readonly string[];
}

/** The admin settings page's entries (one navigation entry, "Settings", instead of five). */
export const ADMIN_SETTINGS: readonly { to: string; label: string; description: string }[] = [
  { to: "/admin/policy", label: "Approval policy", description: "Minimum insurance cover, DBS re-check interval, warning window, retention, certificate validity, supervision and concerns." },
  { to: "/admin/assessment-policy", label: "Assessment retake policy", description: "How many attempts a trainer has, and the wait before the next one." },
  { to: "/admin/report-marking", label: "Marking settings", description: "How written reports are marked and moderated." },
  { to: "/admin/register", label: "Public register", description: "Whether search engines may index the register of approved trainers." },
  { to: "/admin/failed-emails", label: "Failed emails", description: "Emails the outbox gave up on: retry or dismiss each." },
];

/** True when `pathname` is `to` or, unless `end`, a page below it: React Router's `NavLink` test. */
export function isAt(to: string, pathname: string, end = false): boolean {
  return pathname === to || (!end && pathname.startsWith(`${to}/`));
}

/** True when `pathname` is `item`'s page or one of its section's pages. */
export function isCurrent(item: NavItem, pathname: string): boolean {
  return isAt(item.to, pathname, item.end) || (item.section ?? []).some((to) => isAt(to, pathname, item.end));
}

/** The main navigation each role sees. Pages are still authorised on the server. */
export function navigationFor(role: Role | null): NavItem[] {
  if (role === null)
    return [
      { to: "/", label: "About the framework", end: true },
      { to: "/verify", label: "Verify a certificate" },
      { to: "/register", label: "Find an approved trainer" },
    ];
  const common: NavItem[] = [{ to: "/dashboard", label: "Dashboard" }];
  const byRole: Record<Role, NavItem[]> = {
    trainer: [
      { to: "/requirements", label: "Entry requirements" },
      { to: "/modules", label: "Modules" },
      { to: "/report-task", label: "Report task" },
      { to: "/agreement", label: "Agreement", reloadDocument: true },
    ],
    assessor: [
      { to: "/assessor/verification", label: "Verification queue" },
      { to: "/assessor/dbs-originals", label: "DBS originals" },
      { to: "/marking", label: "Marking" },
      { to: "/trainers", label: "Trainers" },
      { to: "/reports", label: "Reports" },
    ],
    admin: [
      { to: "/trainers", label: "Trainers" },
      { to: "/admin/users", label: "Users" },
      { to: "/admin/certificates", label: "Certificates" },
      { to: "/admin/dbs", label: "DBS checks" },
      { to: "/admin/concerns", label: "Concerns" },
      { to: "/admin/erasure-requests", label: "Erasure requests" },
      { to: "/marking", label: "Marking" },
      { to: "/admin/audit", label: "Audit trail" },
      { to: "/reports", label: "Reports" },
      { to: "/admin/settings", label: "Settings", section: ADMIN_SETTINGS.map((page) => page.to) },
    ],
  };
  return [...common, ...byRole[role], { to: "/account", label: "Account" }];
}
