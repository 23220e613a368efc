import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * The typed shape of the SQLite database. One interface per table; nullable columns are
 * `| null`, never optional. Times are ISO 8601 UTC strings (they sort as text).
 */
export interface Database {
  user: UserTable;
  session: SessionTable;
  second_factor: SecondFactorTable;
  second_factor_used_step: SecondFactorUsedStepTable;
  recovery_code: RecoveryCodeTable;
  one_time_token: OneTimeTokenTable;
  user_invitation: UserInvitationTable;
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
  evidence_file: EvidenceFileTable;
  evidence_blob: EvidenceBlobTable;
  qualification: QualificationTable;
  insurance_policy: InsurancePolicyTable;
  dbs_check: DbsCheckTable;
  dbs_status_check: DbsStatusCheckTable;
  dbs_viewing_slot: DbsViewingSlotTable;
  policy_setting: PolicySettingTable;
  reminder_sent: ReminderSentTable;
  agreement_acceptance: AgreementAcceptanceTable;
  agreement_version: AgreementVersionTable;
  certificate: CertificateTable;
  certificate_status: CertificateStatusTable;
  trainer_progress: TrainerProgressTable;
  credential_issuer_key: CredentialIssuerKeyTable;
  status_list: StatusListTable;
  issued_credential: IssuedCredentialTable;
  login_throttle: LoginThrottleTable;
  report_draft: ReportDraftTable;
  report_submission: ReportSubmissionTable;
  report_mark: ReportMarkTable;
  report_mark_criterion: ReportMarkCriterionTable;
  report_resolution: ReportResolutionTable;
  register_listing: RegisterListingTable;
  concern: ConcernTable;
  concern_event: ConcernEventTable;
  supervision: SupervisionTable;
  supervision_session: SupervisionSessionTable;
  supervision_action: SupervisionActionTable;
  notification: NotificationTable;
  notification_preference: NotificationPreferenceTable;
  notification_digest: NotificationDigestTable;
  oversight_report_share: OversightReportShareTable;
  erasure_request: ErasureRequestTable;
  data_export: DataExportTable;
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
  /** When the owner proved the address (a confirmation or invitation link); null until then (ADR 0019). */
  email_confirmed_at: string | null;
  created_at: string;
  updated_at: string;
  /** Set when the person's data was erased at their request (ADR 0034): the row keeps only its id, role and dates. */
  erased_at: Generated<string | null>;
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
  /** The User-Agent of the session's latest recorded use (at most 300 characters); null until then. */
  user_agent: Generated<string | null>;
}
export type Session = Selectable<SessionTable>;

/** A person's TOTP second factor (ADR 0032). One row per person; unconfirmed while enrolling. */
export interface SecondFactorTable {
  user_id: number;
  /** AES-256-GCM of the raw key, `iv.tag.ciphertext` base64url, under app_secret `totp_key`. Never logged or shown after enrolment. */
  secret_encrypted: string;
  created_at: string;
  /** When the person typed a right code from their app; null while enrolment is unfinished. */
  confirmed_at: string | null;
}

/** The 30-second time step of each code accepted lately: the same code is refused a second time (replay). */
export interface SecondFactorUsedStepTable {
  user_id: number;
  step: number;
}

/** Single-use recovery codes for the second factor: SHA-256 of the code, hex; the code is shown once. */
export interface RecoveryCodeTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  used_at: string | null;
}

export const TOKEN_PURPOSES = ["password_reset", "first_admin", "invitation", "email_confirmation"] as const;
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

/** An administrator's invitation to an email address with a role (ADR 0019); its link is a one-time token. */
export interface UserInvitationTable {
  id: Generated<number>;
  /** The id half of the invitation's one-time token (the token row may be swept later). */
  token_id: string;
  email: string;
  role: Role;
  invited_by: number;
  created_at: string;
  expires_at: string;
  accepted_user_id: number | null;
  accepted_at: string | null;
  /** Set when a newer invitation to the same address replaces this one. */
  revoked_at: string | null;
}

export interface EmailOutboxTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  body_text: string;
  created_at: string;
  sent_at: string | null;
  last_error: string | null;
  /** When a delivery run claimed it (ISO), and that run's token; null when unclaimed (ADR 0021). */
  claimed_at: string | null;
  claimed_by: string | null;
  /** Sends tried so far; the next may not start before `next_attempt_at` (backoff, ADR 0028). */
  attempts: Generated<number>;
  next_attempt_at: string | null;
  /** Set when the worker gave up (a permanent failure): never claimed again. */
  failed_at: string | null;
  /** An admin dismissed the failed email from /admin/failed-emails (kept, no longer listed). */
  dismissed_at: Generated<string | null>;
  dismissed_by_user_id: Generated<number | null>;
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
// ---------------------------------------------------------------------------------------------
// Entry requirements. Dates without a time are 'YYYY-MM-DD'; money is integer pence;
// booleans are 0/1 integers (portable between SQLite and PostgreSQL).

export const EVIDENCE_MEDIA_TYPES = ["application/pdf", "image/png", "image/jpeg"] as const;
export type EvidenceMediaType = (typeof EVIDENCE_MEDIA_TYPES)[number];

export interface EvidenceFileTable {
  /** Random, unguessable; also names the stored file. */
  id: string;
  owner_user_id: number;
  /** Server-generated file name inside EVIDENCE_DIR; never derived from the client's name. */
  storage_name: string;
  /** Decided from the file's first bytes, never from its name or declared type. */
  media_type: EvidenceMediaType;
  size_bytes: number;
  sha256: string;
  /** The client's file name, sanitised, for display only. */
  display_name: string;
  created_at: string;
}
export type EvidenceFile = Selectable<EvidenceFileTable>;

/** An evidence file's bytes, when the evidence store is the database (PostgreSQL; ADR 0022). */
export interface EvidenceBlobTable {
  /** evidence_file.storage_name. */
  storage_name: string;
  content: Buffer;
  created_at: string;
}

export const VERIFICATION_STATUSES = ["submitted", "verified", "rejected"] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

export const QUALIFICATION_KINDS = ["personal_training", "other"] as const;
export type QualificationKind = (typeof QUALIFICATION_KINDS)[number];

export interface QualificationTable {
  id: Generated<number>;
  user_id: number;
  kind: QualificationKind;
  /** Regulated qualification level (RQF), 2 to 8. */
  level: number;
  awarding_organisation: string;
  title: string;
  /** Ofqual qualification number, e.g. 600/4941/8. */
  qualification_number: string;
  certificate_number: string;
  issue_date: string;
  evidence_file_id: string;
  /** Required when the qualification was more than five years old when recorded. */
  cpd_evidence_file_id: string | null;
  status: VerificationStatus;
  decided_by_user_id: number | null;
  decided_at: string | null;
  rejection_reason: string | null;
  created_at: string;
}
export type Qualification = Selectable<QualificationTable>;

export const LIMIT_BASES = ["per_occurrence", "aggregate"] as const;
export type LimitBasis = (typeof LIMIT_BASES)[number];

export interface InsurancePolicyTable {
  id: Generated<number>;
  user_id: number;
  insurer: string;
  policy_number: string;
  public_liability_pence: number;
  professional_indemnity_pence: number;
  limit_basis: LimitBasis;
  covered_activities: string;
  territory: string;
  start_date: string;
  end_date: string;
  evidence_file_id: string;
  status: VerificationStatus;
  decided_by_user_id: number | null;
  decided_at: string | null;
  rejection_reason: string | null;
  /** Set by the scheduled job once the end date has passed. */
  expired_at: string | null;
  created_at: string;
}
export type InsurancePolicy = Selectable<InsurancePolicyTable>;

export const DBS_WORKFORCES = ["adult", "child", "both"] as const;
export type DbsWorkforce = (typeof DBS_WORKFORCES)[number];
export const DBS_DECISIONS = ["suitable", "not_suitable", "needs_review"] as const;
export type DbsDecision = (typeof DBS_DECISIONS)[number];
export const DBS_STATUS_RESULTS = ["current", "not_current", "no_match"] as const;
export type DbsStatusResult = (typeof DBS_STATUS_RESULTS)[number];

/** Criminal offence data (UK GDPR Art. 10): fields only, never a scan; admins only. */
export interface DbsCheckTable {
  id: Generated<number>;
  user_id: number;
  /** 12 digits; null once erased after the retention period. Never logged or audited. */
  certificate_number: string | null;
  /** Null once erased after the retention period. */
  issue_date: string | null;
  adults_barred_list: number;
  children_barred_list: number;
  workforce: DbsWorkforce;
  update_service_subscribed: number;
  status_check_consent: number;
  will_show_original: number;
  decision: DbsDecision | null;
  decided_by_user_id: number | null;
  decided_at: string | null;
  original_seen_on: string | null;
  original_seen_by_user_id: number | null;
  recheck_due_on: string | null;
  recheck_flagged_at: string | null;
  details_erased_at: string | null;
  created_at: string;
  /** The time the trainer booked to show the original (ADR 0037). */
  viewing_slot_id: number | null;
  /** The trainer asked to be contacted to arrange showing the original, with an optional note. */
  viewing_contact_requested_at: string | null;
  viewing_contact_note: string | null;
  /** The assessor who said they will contact the trainer. */
  viewing_contact_user_id: number | null;
  /** How the original was seen: in person, or by video with the certificate held to the camera. */
  original_seen_how: DbsSeenHow | null;
}
export type DbsCheck = Selectable<DbsCheckTable>;

export const DBS_SEEN_HOW = ["in_person", "video"] as const;
export type DbsSeenHow = (typeof DBS_SEEN_HOW)[number];

/** A time an assessor offers to see original DBS certificates; booked by at most one check. */
export interface DbsViewingSlotTable {
  id: Generated<number>;
  assessor_user_id: number;
  /** UK local time as typed, "YYYY-MM-DDTHH:MM". */
  starts_at: string;
  method: DbsSeenHow;
  /** Where to come, or how the video call will be set up. */
  place: string;
  booked_dbs_check_id: number | null;
  booked_at: string | null;
  created_at: string;
}

export interface DbsStatusCheckTable {
  id: Generated<number>;
  dbs_check_id: number;
  checked_on: string;
  result: DbsStatusResult;
  checked_by_user_id: number;
  created_at: string;
}
export type DbsStatusCheck = Selectable<DbsStatusCheckTable>;

export interface PolicySettingTable {
  key: string;
  value: string;
  updated_by_user_id: number | null;
  updated_at: string;
}

export interface ReminderSentTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  subject_id: string;
  window_key: string;
  sent_at: string;
}

// --- Agreement and certificates ----------------------------------------------------------

/** When each agreement version was first served: the re-acceptance window runs from here. */
export interface AgreementVersionTable {
  /** SHA-256 of the agreement's source (the version trainers accept). */
  version: string;
  label: string;
  published_at: string;
}

export interface AgreementAcceptanceTable {
  id: Generated<number>;
  user_id: number;
  /** Content hash of the agreement text accepted. */
  agreement_version: string;
  typed_name: string;
  accepted_at: string;
}

/** An issued certificate: a snapshot taken at issue; never rebuilt from live data. */
export interface CertificateTable {
  id: string;
  user_id: number;
  trainer_name: string;
  issued_at: string;
  /** YYYY-MM-DD: the earliest of validity_ends_on, the insurance end and the DBS re-check date. */
  expires_on: string;
  expiry_basis: "validity period" | "insurance end date" | "DBS re-check date" | "annual refresher date";
  validity_ends_on: string;
  agreement_version: string;
  /** JSON: [{ slug, title, passedAt, version }] */
  modules_json: string;
  /** JSON: { releasedAt, version } */
  report_json: string;
  /** JSON: { may: string[], mayNot: string[] } from the accepted agreement version. */
  scope_json: string;
  issuer: string;
  /** Hash of the facts the certificate was issued on; a change of facts may issue a new one. */
  eligibility_key: string;
  superseded_by: string | null;
  superseded_at: string | null;
  suspended_at: string | null;
  suspension_reason: string | null;
  suspended_by: number | null;
  /** The public category of a staff suspension (ADR 0027): "under_review" (a concern), or null (the framework's governance). */
  suspension_category: string | null;
  revoked_at: string | null;
  revocation_reason: string | null;
  revoked_by: number | null;
  pdf: Buffer | null;
  /** Set when the holder's data was erased at their request (ADR 0034): the verification page reads "No longer listed". */
  holder_erased_at: Generated<string | null>;
}

/**
 * Each certificate's live status as last computed by the pure rule (ADR 0025): kept by triggers
 * (a change to any fact marks the trainer's rows stale) and by refreshCertificateStatuses.
 * Trust `status` only where `fresh_until` is after today; '' means stale.
 */
export interface CertificateStatusTable {
  certificate_id: string;
  user_id: number;
  status: "valid" | "expired" | "suspended" | "revoked" | "superseded";
  expires_on: string;
  issued_at: string;
  trainer_name: string;
  fresh_until: string;
}

/**
 * Each account's place in the approval funnel (issue 15, ADR 0038), kept by triggers and
 * app/reports/trainer-progress.server.ts: `stale = 1` until recomputed from the facts.
 */
export interface TrainerProgressTable {
  user_id: number;
  trainer: number;
  signed_up_at: string;
  entry: Generated<number>;
  /** The slugs of the modules passed, each between commas (',a,b,'); ',' for none. */
  modules_passed: Generated<string>;
  report: Generated<number>;
  agreement: Generated<number>;
  first_certified_at: string | null;
  /** Days (fractional) from sign-up to the first certificate. */
  certified_days: number | null;
  stale: Generated<number>;
}

/** The academy's Ed25519 signing keys (did:key). The newest unretired one signs new credentials. */
export interface CredentialIssuerKeyTable {
  id: Generated<number>;
  did: string;
  public_key_multibase: string;
  /** Never logged, never served. */
  secret_key_multibase: string;
  created_at: string;
  retired_at: string | null;
}
export type CredentialIssuerKey = Selectable<CredentialIssuerKeyTable>;

/** A Bitstring Status List (revocation), signed by one issuer key. */
export interface StatusListTable {
  id: Generated<number>;
  issuer_key_id: number;
  length: number;
  /** Bumped whenever a bit changes; the list is re-signed while signed_version < version. */
  version: Generated<number>;
  signed_version: Generated<number>;
  /** The signed BitstringStatusListCredential served at /credentials/status/:id. */
  credential_json: string | null;
  created_at: string;
  signed_at: string | null;
}

/** One Open Badges 3.0 credential issued for a certificate, with its place in a status list. */
export interface IssuedCredentialTable {
  id: string;
  certificate_id: string;
  status_list_id: number;
  status_index: number;
  identity_salt: string;
  issued_at: string;
  /** Set when its revocation bit is set (revoked, superseded or suspended certificate). */
  revoked_at: string | null;
  revocation_reason: string | null;
  json: string | null;
}
export type IssuedCredential = Selectable<IssuedCredentialTable>;
export type Certificate = Selectable<CertificateTable>;
// --- The report-writing task -----------------------------------------------------------------

export interface ReportDraftTable {
  user_id: number;
  body: string;
  word_count: number;
  saved_at: string;
}
export type ReportDraft = Selectable<ReportDraftTable>;

export const SUBMISSION_STATUSES = ["submitted", "in_marking", "marked", "in_moderation", "disputed", "released"] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];
export type ReportOutcome = "pass" | "refer";

/** One submitted version. Text and task snapshot are frozen by triggers; a released row is final. */
export interface ReportSubmissionTable {
  id: Generated<number>;
  user_id: number;
  /** 1 for the first submission, 2 for the first resubmission, … */
  version: number;
  module_slug: string;
  module_version_id: number;
  /** JSON snapshot of the task and rubric (ReportTaskDefinition) this version answered. */
  task_json: string;
  /** The assessor-only marking key (Markdown-lite) of that task version; null before keys were kept. Never shown to trainers. */
  marking_key: string | null;
  body: string;
  word_count: number;
  /** Shown instead of the name when blind marking is on. */
  candidate_number: string;
  submitted_at: string;
  status: SubmissionStatus;
  marker_id: number | null;
  marking_started_at: string | null;
  marked_at: string | null;
  /** Decided when marked: 1 when the mark goes to a second assessor. */
  moderation_required: number | null;
  moderator_id: number | null;
  moderation_started_at: string | null;
  /** The mark whose outcome, levels and feedback the trainer sees. */
  released_mark_id: number | null;
  outcome: ReportOutcome | null;
  released_at: string | null;
  /** Set when the text was overwritten by an erasure (ADR 0034); the marks are kept. */
  body_erased_at: Generated<string | null>;
}
export type ReportSubmission = Selectable<ReportSubmissionTable>;

/** Append-only. */
export interface ReportMarkTable {
  id: Generated<number>;
  submission_id: number;
  assessor_id: number;
  role: "marker" | "moderator";
  outcome: ReportOutcome;
  /** Overall feedback for the trainer (a moderator's agreement: a note for the record). */
  feedback: string;
  /** Set when a moderator agrees with the marker's mark. */
  agrees_with_mark_id: number | null;
  /** A moderator's reason for a different outcome. */
  reason: string | null;
  created_at: string;
}
export type ReportMark = Selectable<ReportMarkTable>;

/** Append-only. */
export interface ReportMarkCriterionTable {
  mark_id: number;
  criterion_id: string;
  level_id: string;
  met: number;
  comment: string;
}
export type ReportMarkCriterion = Selectable<ReportMarkCriterionTable>;

/** Append-only. */
export interface ReportResolutionTable {
  id: Generated<number>;
  submission_id: number;
  admin_id: number;
  chosen_mark_id: number;
  reason: string;
  created_at: string;
}

/** Sign-in failures per key ("ip:…", "account:…", "device:…") in fixed windows. */
export interface LoginThrottleTable {
  key: string;
  /** Milliseconds since the epoch. */
  window_started_at: number;
  count: number;
}

/** A trainer's consent to appear on the public register (ADR 0029); withdrawn_at set when withdrawn. */
export interface RegisterListingTable {
  id: string;
  user_id: number;
  area: string;
  postcode_district: string | null;
  profile: string | null;
  consented_at: string;
  withdrawn_at: string | null;
  updated_at: string;
}

/** A concern about a trainer (ADR 0030). Never public. */
export interface ConcernTable {
  id: Generated<number>;
  reference: string;
  trainer_user_id: number;
  certificate_id: string;
  /** Set when a member of staff raised it (then it needs no email confirmation). */
  raised_by_user_id: number | null;
  raiser_name: string;
  raiser_organisation: string | null;
  raiser_email: string;
  relationship: string;
  category: string;
  what_happened: string;
  happened_when: string;
  status: "unconfirmed" | "open" | "closed";
  confirm_secret_hash: string | null;
  confirmed_at: string | null;
  severity: string | null;
  handler_user_id: number | null;
  outcome: string | null;
  closed_at: string | null;
  created_at: string;
}

/** One step of a concern's timeline. Append-only. */
export interface ConcernEventTable {
  id: Generated<number>;
  concern_id: number;
  occurred_at: string;
  actor_user_id: number | null;
  kind: string;
  note: string | null;
}
export type Concern = Selectable<ConcernTable>;
export type ConcernEvent = Selectable<ConcernEventTable>;

/** A certified trainer's supervisor and when the next session is due (ADR 0026). One row per trainer. */
export interface SupervisionTable {
  trainer_user_id: number;
  /** An assessor. */
  supervisor_user_id: number;
  assigned_at: string;
  assigned_by_user_id: number | null;
  /** YYYY-MM-DD: set at assignment (today + the policy interval) and by each recorded session. */
  next_due_on: string;
}

/** A supervision session, recorded by the supervisor and confirmed by the trainer. Never public. */
export interface SupervisionSessionTable {
  id: Generated<number>;
  trainer_user_id: number;
  supervisor_user_id: number;
  held_on: string;
  mode: "in_person" | "video" | "phone";
  /** Comma-separated topic keys (SUPERVISION_TOPICS). */
  topics: string;
  /** What was discussed, without client-identifying details. */
  summary: string;
  next_due_on: string;
  recorded_at: string;
  confirmed_at: string | null;
}

/** An action agreed at a supervision session, with its due date. */
export interface SupervisionActionTable {
  id: Generated<number>;
  session_id: number;
  description: string;
  due_on: string;
}
export type SupervisionSession = Selectable<SupervisionSessionTable>;
/** One event for one person: the in-app list, and how it reaches their inbox (ADR 0028). */
export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  title: string;
  body: string;
  /** A path inside the app, or null. */
  link: string | null;
  created_at: string;
  read_at: string | null;
  /** 'immediate' (queued with the event), 'digest' (waits for the daily digest) or 'none'. */
  email: "immediate" | "digest" | "none";
  /** When a daily digest included it. */
  digested_at: string | null;
}
export type Notification = Selectable<NotificationTable>;

export interface NotificationPreferenceTable {
  user_id: number;
  /** For non-urgent email: one email per event, or one daily digest. */
  email_mode: "immediate" | "digest";
  updated_at: string;
}

export interface NotificationDigestTable {
  id: Generated<number>;
  user_id: number;
  /** The UK day the digest was for ('YYYY-MM-DD'); one per person per day. */
  digest_day: string;
  item_count: number;
  sent_at: string;
}

/** An oversight report's link, sent to a commissioner by the trainer (issue 15 item 4, ADR 0043). */
export interface OversightReportShareTable {
  /** The public half of the link's `id.secret`. */
  id: string;
  /** SHA-256 of the secret half. */
  secret_hash: string;
  trainer_user_id: number;
  /** The trainer, or the admin who asked the trainer to send it. */
  requested_by_user_id: number;
  recipient_name: string;
  recipient_organisation: string;
  recipient_email: string;
  created_at: string;
  sent_at: string | null;
  expires_at: string | null;
  declined_at: string | null;
  revoked_at: string | null;
  revoked_by_user_id: number | null;
  view_count: Generated<number>;
  last_viewed_at: string | null;
}

export const ERASURE_REQUEST_STATUSES = ["pending", "withdrawn", "refused", "carried_out"] as const;
export type ErasureRequestStatus = (typeof ERASURE_REQUEST_STATUSES)[number];

/** A trainer's request to close their account and erase their data (issue 17 item 4, ADR 0034). */
export interface ErasureRequestTable {
  id: Generated<number>;
  user_id: number;
  status: ErasureRequestStatus;
  requested_at: string;
  withdrawn_at: string | null;
  decided_at: string | null;
  decided_by_user_id: number | null;
  /** Why an admin refused (shown to the trainer); never personal data of others. */
  refusal_reason: string | null;
}
export type ErasureRequest = Selectable<ErasureRequestTable>;

/** A "download my data" request (issue 17 item 3, ADR 0033): built in the background, offered for 7 days. */
export interface DataExportTable {
  /** The public half of the link's `id.secret`. */
  id: string;
  /** SHA-256 of the secret half; set when the ZIP is ready and the link emailed. */
  secret_hash: string | null;
  /** The trainer the data is about. */
  subject_user_id: number;
  /** The trainer themselves, or the admin answering a subject access request; the link is theirs alone. */
  requested_by_user_id: number;
  /** A staff request's reason; null when the trainer asked. */
  reason: string | null;
  requested_at: string;
  /** The worker building it (a conditional update claims it; a claim older than the lease may be taken over). */
  claimed_at: string | null;
  claimed_by: string | null;
  attempts: Generated<number>;
  ready_at: string | null;
  expires_at: string | null;
  /** The ZIP's server-generated name in the evidence store. */
  storage_name: string | null;
  size_bytes: number | null;
  sha256: string | null;
  failed_at: string | null;
  last_error: string | null;
  /** When the hourly job deleted the file after expiry. */
  deleted_at: string | null;
  downloaded_at: string | null;
}
export type DataExport = Selectable<DataExportTable>;
