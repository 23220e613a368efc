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

export const triageSchema = z.object({
  severity: z.enum(keys(SEVERITIES), { error: "Choose a severity." }),
  handlerId: z.string({ error: "Choose who handles it." }).regex(/^\d{1,12}$/, "Choose who handles it.").transform(Number),
});

export const noteSchema = z.object({ note: z.string({ error: "Write the note." }).trim().min(1, "Write the note.").max(5000, "Keep the note to 5,000 characters or fewer.") });

export const closeSchema = z.object({ outcome: z.string({ error: "Record the outcome." }).trim().min(10, "Record the outcome in at least 10 characters.").max(5000, "Keep the outcome to 5,000 characters or fewer.") });
