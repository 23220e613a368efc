import { expect, test } from "@playwright/test";
import { E2E_ADMIN, E2E_ASSESSOR } from "./support/accounts";
import { enrolSecondFactor, expectAccessible, confirmEmailFromOutbox, linkFromOutbox, setServerClockOffset, signIn, signOut, signUp, uniqueEmail } from "./support/helpers";
import { PASSWORD, addQualification, randomDbsNumber, recordDbs } from "./support/entry";

/** Issue 13: confirming an email address (item 15) and invitations (item 9). */
test.describe("accounts", () => {
  test.afterEach(async ({ page }) => {
    await setServerClockOffset(page, 0);
  });

  test("a new trainer confirms their email address through the emailed link before evidence is accepted", async ({ page }) => {
    const email = uniqueEmail("confirm");
    await signUp(page, { name: "Cleo Confirm", email, password: PASSWORD }, { confirmEmail: false });

    await page.goto("/requirements");
    const notice = page.getByRole("status").filter({ hasText: "Confirm your email address" });
    await expect(notice).toContainText(email);
    await expectAccessible(page);

    // The server refuses the evidence, says why, and offers a new link.
    await addQualification(page);
    await page.getByRole("button", { name: "Submit for verification" }).click();
    await expect(page.getByRole("alert").first()).toContainText("Confirm your email address before you submit evidence");
    await expectAccessible(page);
    const firstLink = await linkFromOutbox(email, "/confirm-email/");

    // A new link, a few minutes later, replaces the first one.
    await setServerClockOffset(page, 5 * 60_000);
    await notice.getByRole("button", { name: "Send a new confirmation link" }).click();
    await expect(page.getByRole("status").filter({ hasText: "We have sent a new link" })).toBeVisible();
    await expectAccessible(page);
    const secondLink = await linkFromOutbox(email, "/confirm-email/");
    expect(secondLink).not.toBe(firstLink);
    await page.goto(firstLink);
    await expect(page.getByRole("heading", { level: 1, name: "This confirmation link is not valid" })).toBeVisible();
    await expectAccessible(page);

    await confirmEmailFromOutbox(page, email);
    await expectAccessible(page);
    await page.goto(secondLink);
    await expect(page.getByRole("heading", { level: 1, name: "This confirmation link is not valid" })).toBeVisible();

    // Now the same evidence is accepted.
    await addQualification(page);
    await page.getByRole("button", { name: "Submit for verification" }).click();
    await expect(page.getByRole("status")).toContainText("Your qualification has been submitted");
    await expect(page.getByText("Confirm your email address")).toHaveCount(0);
  });

  test("an admin invites an assessor by email; the link sets their name and password, works once, and the audit names who invited whom", async ({ page, browser }) => {
    const email = uniqueEmail("invited");
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await page.goto("/admin/users");
    const invite = page.getByRole("region", { name: "Invite someone" });
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.locator("#invite-email-error")).toContainText("Enter their email address");
    await expect(page.locator("#invite-role-error")).toContainText("Choose trainer, assessor or admin");
    await expectAccessible(page);
    await invite.getByLabel("Their email address").fill(E2E_ASSESSOR.email);
    await invite.getByLabel("Their role").selectOption("assessor");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.locator("#invite-email-error")).toContainText("already exists");

    await invite.getByLabel("Their email address").fill(email);
    await invite.getByLabel("Their role").selectOption("assessor");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByRole("status")).toContainText(`Invitation sent to ${email} as assessor`);
    await expect(page.getByRole("region", { name: "Invitations not yet accepted" }).getByRole("row", { name: new RegExp(email.replace(/\./g, "\\.")) })).toContainText(E2E_ADMIN.name);
    await expectAccessible(page);

    const inviteeContext = await browser.newContext();
    const invitee = await inviteeContext.newPage();
    const link = await linkFromOutbox(email, "/invitation/");
    await invitee.goto(link);
    await expect(invitee.getByRole("heading", { level: 1, name: "Accept your invitation" })).toBeVisible();
    await expect(invitee.getByText(`${E2E_ADMIN.name} has invited`)).toContainText(email);
    await expectAccessible(invitee);
    await invitee.getByLabel("Full name").fill("Ivy Invited");
    await invitee.getByLabel("Password", { exact: true }).fill("ivy invited password");
    await invitee.getByLabel("Confirm password").fill("something else");
    await invitee.getByRole("button", { name: "Create my account" }).click();
    await expect(invitee.locator("#field-confirmPassword-error")).toContainText("The passwords do not match");
    await expectAccessible(invitee);
    await invitee.getByLabel("Password", { exact: true }).fill("ivy invited password");
    await invitee.getByLabel("Confirm password").fill("ivy invited password");
    await invitee.getByRole("button", { name: "Create my account" }).click();
    // Staff must use two-factor sign-in (ADR 0032): the new assessor sets it up before any page.
    await expect(invitee).toHaveURL(/\/account\/two-factor\?redirectTo=%2Fdashboard/);
    await enrolSecondFactor(invitee, email);
    await invitee.getByRole("link", { name: "I have kept my recovery codes: continue" }).click();
    await expect(invitee).toHaveURL(/\/dashboard/);
    await expect(invitee.locator(".account")).toContainText("Assessor");
    await signOut(invitee);
    await invitee.goto(link);
    await expect(invitee.getByRole("heading", { level: 1, name: "This invitation is not valid" })).toBeVisible();
    await expectAccessible(invitee);
    await signIn(invitee, email, "ivy invited password");
    await inviteeContext.close();

    await page.goto(`/admin/audit`);
    await expect(page.getByRole("cell", { name: "account.invited" }).first()).toBeVisible();
    await expect(page.getByRole("cell", { name: "account.invitation_accepted" }).first()).toBeVisible();
  });

  test("staff open one page per trainer from the trainers and users lists; only admins are offered the DBS record", async ({ page, browser }) => {
    const name = `Tia Overview ${Date.now().toString(36)}`;
    await signUp(page, { name, email: uniqueEmail("overview"), password: PASSWORD });
    await addQualification(page);
    await page.getByRole("button", { name: "Submit for verification" }).click();
    await expect(page.getByRole("status")).toContainText("Your qualification has been submitted");
    await recordDbs(page, randomDbsNumber());
    await page.getByRole("button", { name: "Record my DBS details" }).click();
    await expect(page.getByRole("status")).toContainText("Your DBS details have been recorded");

    const assessorContext = await browser.newContext();
    const assessor = await assessorContext.newPage();
    await signIn(assessor, E2E_ASSESSOR.email, E2E_ASSESSOR.password);
    await assessor.goto(`/trainers?q=${encodeURIComponent(name)}`);
    await assessor.getByRole("link", { name }).click();
    await expect(assessor.getByRole("heading", { level: 1, name })).toBeVisible();
    for (const part of ["Entry requirements", "Modules", "Attempts", "Written report", "Scope of practice agreement", "Certificate", "Audit entries"]) {
      await expect(assessor.getByRole("heading", { level: 2, name: part })).toBeVisible();
    }
    const qualifications = assessor.getByRole("region", { name: "Qualifications" });
    await expect(qualifications).toContainText("Awaiting verification");
    await expect(qualifications.getByRole("link", { name: /certificate\.pdf/ })).toHaveAttribute("href", /^\/evidence\//);
    await expect(qualifications.getByRole("link", { name: "Verify" })).toBeVisible();
    await expect(assessor.getByRole("region", { name: "Enhanced DBS check" })).toContainText("Only administrators see the certificate details");
    await expect(assessor.getByRole("link", { name: "Open the DBS record" })).toHaveCount(0);
    const audit = assessor.getByRole("region", { name: "Audit entries about this trainer, newest first" });
    await expect(audit).toContainText("qualification.submitted");
    await expect(audit).toContainText("account.email_confirmed");
    await expectAccessible(assessor);
    await assessorContext.close();

    await signOut(page);
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await page.goto(`/admin/users?q=${encodeURIComponent(name)}`);
    await page.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await page.getByRole("link", { name: "Open the DBS record" }).click();
    await expect(page).toHaveURL(/\/admin\/dbs\/\d+$/);
  });
});
