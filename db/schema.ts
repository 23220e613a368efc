import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * The typed shape of the SQLite database. One interface per table; nullable columns are
 * `| null`, never optional. Times are ISO 8601 UTC strings (they sort as text).
 */
export interface Database {
  user: UserTable;
  session: SessionTable;
  one_time_token: OneTimeTokenTable;
  email_outbox: EmailOutboxTable;
  audit_event: AuditEventTable;
  app_secret: AppSecretTable;
  module_version: ModuleVersionTable;
  section_progress: SectionProgressTable;
  module_resume: ModuleResumeTable;
  assessment_attempt: AssessmentAttemptTable;
  attempt_question: AttemptQuestionTable;
  assessment_unlock: AssessmentUnlockTable;
  assessment_policy: AssessmentPolicyTable;
}

export const ROLES = ["trainer", "assessor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface UserTable {
  id: Generated<number>;
  /** Stored lower-cased and trimmed; unique. */
  email: string;
  name: string;
  role: Role;
  /** argon2id PHC string. */
  password_hash: string;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
}
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;

export interface SessionTable {
  /** Public identifier half of the cookie token. */
  id: string;
  /** SHA-256 of the secret half of the cookie token, hex. The raw secret is never stored. */
  secret_hash: string;
  user_id: number;
  created_at: string;
  last_active_at: string;
}
export type Session = Selectable<SessionTable>;

export const TOKEN_PURPOSES = ["password_reset", "first_admin"] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

export interface OneTimeTokenTable {
  id: string;
  purpose: TokenPurpose;
  user_id: number | null;
  /** SHA-256 of the secret half of the link token, hex. */
  secret_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}
export type OneTimeToken = Selectable<OneTimeTokenTable>;

export interface EmailOutboxTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  body_text: string;
  created_at: string;
  sent_at: string | null;
  last_error: string | null;
}
export type OutboxEmail = Selectable<EmailOutboxTable>;

export interface AuditEventTable {
  id: Generated<number>;
  occurred_at: string;
  /** Null for the system (scheduled jobs, first run). */
  actor_user_id: number | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  /** JSON object; never secrets, passwords, tokens or DBS certificate numbers. */
  details: string;
}
export type AuditEvent = Selectable<AuditEventTable>;

export interface AppSecretTable {
  name: string;
  value: string;
}

// --- Modules, progress and assessments -----------------------------------------------------

export interface ModuleVersionTable {
  id: Generated<number>;
  slug: string;
  /** SHA-256 of the module's MDX source. */
  content_hash: string;
  title: string;
  version_notes: string;
  published_at: string;
}
export type ModuleVersion = Selectable<ModuleVersionTable>;

export interface SectionProgressTable {
  user_id: number;
  module_slug: string;
  section_id: string;
  module_version_id: number;
  completed_at: string;
}

export interface ModuleResumeTable {
  user_id: number;
  module_slug: string;
  section_id: string;
  visited_at: string;
}

export interface AssessmentAttemptTable {
  /** Random, unguessable. */
  id: string;
  user_id: number;
  module_slug: string;
  module_version_id: number;
  pass_mark: number;
  started_at: string;
  submitted_at: string | null;
  score: number | null;
  total: number;
  percent: number | null;
  /** 1 passed, 0 failed, null not yet graded. */
  passed: number | null;
}
export type AssessmentAttempt = Selectable<AssessmentAttemptTable>;

export interface AttemptQuestionTable {
  attempt_id: string;
  position: number;
  question_id: string;
  /** Server-only snapshot of the question and its answer key when the attempt started. */
  question_json: string;
  /** JSON array of option ids in the order this attempt shows them. */
  option_order: string;
  /** JSON array of selected option ids, or null when unanswered. */
  answer: string | null;
  answered_at: string | null;
  correct: number | null;
}
export type AttemptQuestion = Selectable<AttemptQuestionTable>;

export interface AssessmentUnlockTable {
  id: Generated<number>;
  user_id: number;
  module_slug: string;
  unlocked_by: number;
  unlocked_at: string;
  reason: string;
}

export interface AssessmentPolicyTable {
  id: number;
  cooldown_hours: number;
  fails_before_lock: number;
  updated_at: string;
  updated_by: number | null;
}
export type AssessmentPolicy = Selectable<AssessmentPolicyTable>;
