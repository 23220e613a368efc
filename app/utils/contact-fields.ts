/** Form fields for someone outside the academy who writes to it (an enquiry, a concern): one wording and one limit each. */
import { z } from "zod";

export const personName = () => z.string({ error: "Enter your name." }).trim().min(1, "Enter your name.").max(100, "Keep your name to 100 characters or fewer.");

export const organisation = () =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .refine((v) => v.length <= 150, "Keep the organisation to 150 characters or fewer.");

export const replyEmail = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .toLowerCase()
    .min(1, missing)
    .max(254, "That email address is too long.")
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "Enter an email address like name@example.co.uk.");
