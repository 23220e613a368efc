/**
 * The register's forms, as pure rules (ADR 0029): a trainer's listing and a commissioner's
 * enquiry. Run through `validate` in app/utils/forms.ts, which refuses control characters first.
 */
import { z } from "zod";
import { organisation, personName, replyEmail } from "~/utils/contact-fields";
import { isArea } from "./areas";

export const PROFILE_MAX = 500;
export const ENQUIRY_MIN = 20;
export const ENQUIRY_MAX = 2000;

/** The outward part of a UK postcode: "M1", "B33", "SW1A", "EC1A", "W1". */
const POSTCODE_DISTRICT = /^[A-Z]{1,2}[0-9][0-9A-Z]?$/;

/** Contact details written into a profile would expose the trainer the register protects. */
const EMAIL_LIKE = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const WEB_LIKE = /(https?:\/\/|www\.)/i;
const PHONE_LIKE = /(\+?\d[\d ()-]{8,}\d)/;
const MARKUP_LIKE = /<[a-z/!][^>]*>/i;

export const listingSchema = z.object({
  area: z.string({ error: "Choose the area you work in." }).refine(isArea, "Choose the area you work in from the list."),
  postcodeDistrict: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim().toUpperCase().replace(/\s+/g, ""))
    .refine((v) => v === "" || POSTCODE_DISTRICT.test(v), "Enter only the first part of a postcode, like SW1A or M1, or leave it empty.")
    .transform((v) => (v === "" ? null : v)),
  profile: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .refine((v) => v.length <= PROFILE_MAX, `Keep your profile to ${PROFILE_MAX} characters or fewer.`)
    .refine((v) => !MARKUP_LIKE.test(v), "Write your profile as plain text, without HTML tags.")
    .refine((v) => !EMAIL_LIKE.test(v) && !WEB_LIKE.test(v) && !PHONE_LIKE.test(v), "Leave out email addresses, web addresses and phone numbers: enquiries reach you through the academy.")
    .transform((v) => (v === "" ? null : v)),
  consent: z.literal("on", { error: "Tick the box to consent to being listed on the public register." }),
});
export type ListingInput = z.infer<typeof listingSchema>;

export const enquirySchema = z.object({
  name: personName(),
  organisation: organisation(),
  email: replyEmail("Enter your email address, so the trainer can reply."),
  message: z
    .string({ error: "Write your enquiry." })
    .trim()
    .min(ENQUIRY_MIN, `Write at least ${ENQUIRY_MIN} characters, so the trainer knows what you need.`)
    .max(ENQUIRY_MAX, `Keep your enquiry to ${ENQUIRY_MAX} characters or fewer.`),
});
export type EnquiryInput = z.infer<typeof enquirySchema>;
