/**
 * The oversight report a commissioner receives (issue 15 item 4, ADR 0043): what it holds and the
 * recipient form. Shared by the server, the pages and the PDF; nothing here reads the database.
 *
 * What it holds is public already (the verification page shows the certificate, its status and
 * history, the modules and their versions) plus the dates of supervision sessions. Never an
 * email address, DBS detail, supervisor, session topic or note, concern, or staff reason.
 */
import { z } from "zod";
import type { PublicCertificateView } from "./public.server";

export interface OversightReport {
  trainerName: string;
  /** The UK day the report was read. */
  preparedOn: string;
  /** The trainer's latest certificate, as the verification page shows it; null if they have none. */
  certificate: PublicCertificateView | null;
  /** Earlier certificates, newest first, each with its own history. */
  earlier: PublicCertificateView[];
  supervision: {
    /** Whether a supervisor is assigned (no name is shared). */
    assigned: boolean;
    /** The days sessions were held, newest first: dates only. */
    sessionDates: string[];
  };
}

/** How long a sent link works. */
export const SHARE_LIFETIME_DAYS = 30;
/** At most this many reports sent per trainer in 24 hours (a link is an email to a stranger). */
export const SHARES_PER_DAY = 10;

export const recipientSchema = z.object({
  recipientName: z
    .string({ error: "Enter the recipient’s name." })
    .trim()
    .min(2, "Enter the recipient’s name.")
    .max(120, "Keep the name to 120 characters or fewer."),
  recipientOrganisation: z
    .string({ error: "Enter the recipient’s organisation." })
    .trim()
    .min(2, "Enter the recipient’s organisation (a case management company or a firm of solicitors, for example).")
    .max(160, "Keep the organisation to 160 characters or fewer."),
  recipientEmail: z
    .string({ error: "Enter the recipient’s email address." })
    .trim()
    .min(1, "Enter the recipient’s email address.")
    .max(254, "Email addresses are at most 254 characters.")
    .pipe(z.email({ error: "Enter an email address like name@example.com." }))
    .transform((value) => value.toLowerCase()),
});
export type RecipientInput = z.infer<typeof recipientSchema>;

export type ShareState = "awaiting trainer" | "declined" | "sent" | "expired" | "revoked";

/** One link as the trainer and admins see it in the list of reports sent. */
export interface ShareSummary {
  id: string;
  state: ShareState;
  recipientName: string;
  recipientOrganisation: string;
  recipientEmail: string;
  requestedByAdmin: boolean;
  createdAt: string;
  sentAt: string | null;
  expiresAt: string | null;
  viewCount: number;
  lastViewedAt: string | null;
}

export function shareState(share: { sent_at: string | null; expires_at: string | null; declined_at: string | null; revoked_at: string | null }, now: Date): ShareState {
  if (share.revoked_at) return "revoked";
  if (share.declined_at) return "declined";
  if (!share.sent_at) return "awaiting trainer";
  if (share.expires_at && Date.parse(share.expires_at) <= now.getTime()) return "expired";
  return "sent";
}

export const SHARE_STATE_LABELS: Record<ShareState, string> = {
  "awaiting trainer": "Waiting for the trainer to approve",
  declined: "Declined by the trainer",
  sent: "Sent",
  expired: "Link expired",
  revoked: "Link withdrawn",
};
