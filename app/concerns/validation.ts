/** The concern forms as pure rules (ADR 0030), run through `validate` in app/utils/forms.ts. */
import { z } from "zod";
import { organisation, personName, replyEmail } from "~/utils/contact-fields";

export const RELATIONSHIPS = { case_manager: "Case manager", solicitor: "Solicitor", clinician: "Clinician", client_or_family: "Client or family member", other: "Other" } as const;
export const CATEGORIES = { scope_of_practice: "Scope of practice", safeguarding: "Safeguarding", conduct: "Conduct", communication: "Communication", other: "Other" } as const;
export const SEVERITIES = { low: "Low", medium: "Medium", high: "High", urgent: "Urgent" } as const;

const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

export const concernSchema = z.object({
  name: personName(),
  organisation: organisation(),
  email: replyEmail("Enter your email address: we send a link to confirm the concern."),
  relationship: z.enum(keys(RELATIONSHIPS), { error: "Choose how you know the trainer." }),
  category: z.enum(keys(CATEGORIES), { error: "Choose what the concern is about." }),
  whatHappened: z.string({ error: "Describe what happened." }).trim().min(20, "Describe what happened in at least 20 characters.").max(5000, "Keep the description to 5,000 characters or fewer."),
  when: z.string({ error: "Say when it happened." }).trim().min(1, "Say when it happened, even roughly.").max(200, "Keep this to 200 characters or fewer."),
});
export type ConcernInput = z.infer<typeof concernSchema>;

/** The admins' list filters (app/concerns/list.server.ts); here, so the route's component can read them in the browser. */
export const CONCERN_STATES = ["open", "closed", "all"] as const;
export type ConcernState = (typeof CONCERN_STATES)[number];
export const CONCERN_CATEGORY_FILTERS = ["any", ...keys(CATEGORIES)] as const;
export type ConcernCategoryFilter = (typeof CONCERN_CATEGORY_FILTERS)[number];

/** The relationship recorded when a member of staff raises a concern (not offered on the public form). */
export const STAFF_RELATIONSHIP = "academy_staff";

/** A concern raised by an assessor or admin from the staff trainer page: who they are is known. */
export const staffConcernSchema = concernSchema.pick({ category: true, whatHappened: true, when: true });
export type StaffConcernInput = z.infer<typeof staffConcernSchema>;

export const triageSchema = z.object({
  severity: z.enum(keys(SEVERITIES), { error: "Choose a severity." }),
  handlerId: z.string({ error: "Choose who handles it." }).regex(/^\d{1,12}$/, "Choose who handles it.").transform(Number),
});

export const noteSchema = z.object({ note: z.string({ error: "Write the note." }).trim().min(1, "Write the note.").max(5000, "Keep the note to 5,000 characters or fewer.") });

export const closeSchema = z.object({ outcome: z.string({ error: "Record the outcome." }).trim().min(10, "Record the outcome in at least 10 characters.").max(5000, "Keep the outcome to 5,000 characters or fewer.") });
