import { z } from "zod";
import { ROLES } from "~db/schema";

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export const emailField = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "Email addresses are at most 254 characters.")
  .pipe(z.email({ error: "Enter an email address like name@example.com." }))
  .transform((value) => value.toLowerCase());

export const newPasswordField = z
  .string({ error: "Enter a password." })
  .min(1, "Enter a password.")
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

/** For sign-in we only bound the length; the rules for new passwords may have changed since. */
export const existingPasswordField = z
  .string({ error: "Enter your password." })
  .min(1, "Enter your password.")
  .max(PASSWORD_MAX, `Passwords are at most ${PASSWORD_MAX} characters.`);

export const nameField = z
  .string({ error: "Enter your full name." })
  .trim()
  .min(1, "Enter your full name.")
  .max(120, "Names are at most 120 characters.")
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), "Names cannot contain control characters.");

export const signUpSchema = z
  .object({ name: nameField, email: emailField, password: newPasswordField, confirmPassword: z.string().default("") })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match." });

export const loginSchema = z.object({ email: emailField, password: existingPasswordField });

export const changePasswordSchema = z
  .object({ currentPassword: existingPasswordField, newPassword: newPasswordField, confirmPassword: z.string().default("") })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match." });

export const resetPasswordSchema = z
  .object({ password: newPasswordField, confirmPassword: z.string().default("") })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match." });

export const forgotPasswordSchema = z.object({ email: emailField });

export const roleField = z.enum(ROLES, { error: "Choose trainer, assessor or admin." });

/** An administrator's invitation (the address is the invitee's, so the messages say "their"). */
export const inviteSchema = z.object({
  email: z
    .string({ error: "Enter their email address." })
    .trim()
    .min(1, "Enter their email address.")
    .max(254, "Email addresses are at most 254 characters.")
    .pipe(z.email({ error: "Enter an email address like name@example.com." }))
    .transform((value) => value.toLowerCase()),
  role: roleField,
});

/** Accepting an invitation: the invitee chooses their name and password (the address is the invitation's). */
export const acceptInvitationSchema = resetPasswordSchema.and(z.object({ name: nameField }));
