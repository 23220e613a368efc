import type { Role } from "~db/schema";

export const ROLE_LABELS: Record<Role, string> = { trainer: "Trainer", assessor: "Assessor", admin: "Admin" };

export interface NavItem {
  to: string;
  label: string;
  end?: boolean;
  /** Load as a new document: pages that evaluate precompiled MDX need their own CSP (ADR 0004). */
  reloadDocument?: boolean;
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
      { to: "/marking", label: "Marking" },
      { to: "/trainers", label: "Trainers" },
    ],
    admin: [
      { to: "/trainers", label: "Trainers" },
      { to: "/admin/users", label: "Users" },
      { to: "/admin/certificates", label: "Certificates" },
      { to: "/admin/dbs", label: "DBS checks" },
      { to: "/admin/policy", label: "Policy" },
      { to: "/admin/assessment-policy", label: "Retake policy" },
      { to: "/marking", label: "Marking" },
      { to: "/admin/report-marking", label: "Marking settings" },
      { to: "/admin/audit", label: "Audit trail" },
    ],
  };
  return [...common, ...byRole[role], { to: "/account", label: "Account" }];
}
