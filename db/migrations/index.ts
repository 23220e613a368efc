import type { Migration } from "kysely";
import * as foundation from "./2026-11-26-01-foundation";
import * as modulesAndAssessments from "./2026-11-26-02-modules-and-assessments";
import * as entryRequirements from "./2026-11-26-03-entry-requirements";
import * as reportTask from "./2026-11-26-04-report-task";
import * as certificates from "./2026-11-26-05-certificates";
import * as loginThrottle from "./2026-11-26-06-login-throttle";
import * as ob3Credentials from "./2026-11-30-2305-ob3-credentials";
import * as staffListIndexes from "./2026-11-30-2305-staff-list-indexes";
import * as randomCandidateNumbers from "./2026-11-30-2310-random-candidate-numbers";
import * as severalNodes from "./2026-11-30-2330-several-nodes";
import * as agreementPublication from "./2026-11-30-2400-agreement-publication";
import * as submissionMarkingKey from "./2026-11-30-2401-submission-marking-key";
import * as certificateSupersededBy from "./2026-11-30-2410-certificate-superseded-by";
import * as invitationsAndEmailConfirmation from "./2026-12-01-0600-invitations-and-email-confirmation";
import * as publicRegister from "./2026-12-01-0700-public-register";
import * as issuedCredentialCertificate from "./2026-12-01-0800-issued-credential-certificate";
import * as concerns from "./2026-12-01-0810-concerns";
import * as notifications from "./2026-12-01-0900-notifications";
import * as supervision from "./2026-12-01-0910-supervision";
import * as dbsOriginalViewing from "./2026-12-01-0920-dbs-original-viewing";
import * as certificateStatus from "./2026-12-01-0930-certificate-status";
import * as outboxDismissed from "./2026-12-01-1010-outbox-dismissed";
import * as oversightReportShares from "./2026-12-01-1000-oversight-report-shares";
import * as dashboardIndexes from "./2026-12-01-1020-dashboard-indexes";
import * as coveringStatusFacts from "./2026-12-01-1030-covering-status-facts";
import * as sessionDevices from "./2026-12-01-1040-session-devices";
import * as twoFactor from "./2026-12-01-1100-two-factor";
import * as dataExports from "./2026-12-01-1120-data-exports";
import * as erasureRequests from "./2026-12-01-1140-erasure-requests";
import * as trainerProgress from "./2026-12-01-1220-trainer-progress";
import * as certificateStatusTriggerColumns from "./2026-12-01-1225-certificate-status-trigger-columns";
import * as issuedCredentialRevokedBits from "./2026-12-01-1300-issued-credential-revoked-bits";
import * as dashboardRanks from "./2026-12-01-1320-dashboard-ranks";

/**
 * Every migration, in order. A static list rather than a folder scan, so the bundler sees
 * every file and the order never depends on the file system. Names sort by date.
 */
export const migrations: Record<string, Migration> = {
  "2026-11-26-01-foundation": foundation,
  "2026-11-26-02-modules-and-assessments": modulesAndAssessments,
  "2026-11-26-03-entry-requirements": entryRequirements,
  "2026-11-26-04-report-task": reportTask,
  "2026-11-26-05-certificates": certificates,
  "2026-11-26-06-login-throttle": loginThrottle,
  "2026-11-30-2305-ob3-credentials": ob3Credentials,
  "2026-11-30-2305-staff-list-indexes": staffListIndexes,
  "2026-11-30-2310-random-candidate-numbers": randomCandidateNumbers,
  "2026-11-30-2330-several-nodes": severalNodes,
  "2026-11-30-2400-agreement-publication": agreementPublication,
  "2026-11-30-2401-submission-marking-key": submissionMarkingKey,
  "2026-11-30-2410-certificate-superseded-by": certificateSupersededBy,
  "2026-12-01-0600-invitations-and-email-confirmation": invitationsAndEmailConfirmation,
  "2026-12-01-0700-public-register": publicRegister,
  "2026-12-01-0800-issued-credential-certificate": issuedCredentialCertificate,
  "2026-12-01-0810-concerns": concerns,
  "2026-12-01-0900-notifications": notifications,
  "2026-12-01-0910-supervision": supervision,
  "2026-12-01-0920-dbs-original-viewing": dbsOriginalViewing,
  "2026-12-01-0930-certificate-status": certificateStatus,
  "2026-12-01-1000-oversight-report-shares": oversightReportShares,
  "2026-12-01-1010-outbox-dismissed": outboxDismissed,
  "2026-12-01-1020-dashboard-indexes": dashboardIndexes,
  "2026-12-01-1030-covering-status-facts": coveringStatusFacts,
  "2026-12-01-1040-session-devices": sessionDevices,
  "2026-12-01-1100-two-factor": twoFactor,
  "2026-12-01-1120-data-exports": dataExports,
  "2026-12-01-1140-erasure-requests": erasureRequests,
  "2026-12-01-1220-trainer-progress": trainerProgress,
  "2026-12-01-1225-certificate-status-trigger-columns": certificateStatusTriggerColumns,
  "2026-12-01-1300-issued-credential-revoked-bits": issuedCredentialRevokedBits,
  "2026-12-01-1320-dashboard-ranks": dashboardRanks,
};
