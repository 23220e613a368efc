import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./support/accounts";
import { expectAccessible, signIn, signOut, signUp, uniqueEmail } from "./support/helpers";

test.describe("accounts", () => {
  test("a trainer signs up, signs out, fails with a wrong password, then signs in", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Become a Medical-Legal Approved Trainer");
    await expectAccessible(page);

    const email = uniqueEmail();
    await page.goto("/signup");
    await expectAccessible(page);
    await signUp(page, { name: "Priya Shah", email, password: "a long trainer password" });
    await expect(page.getByRole("heading", { name: "Welcome, Priya Shah" })).toBeVisible();
    await expect(page.locator(".account")).toContainText("Trainer");
    await expectAccessible(page);

    await signOut(page);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fdashboard/);

    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toContainText("The email address or password is not right");
    await expectAccessible(page);

    await page.getByLabel("Password").fill("a long trainer password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("heading", { name: "Welcome, Priya Shah" })).toBeVisible();
  });

  test("bad sign-in and sign-up input gets a clear message, no 500, and stores nothing", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#field-email-error")).toHaveText("Error: Enter your email address.");
    await expect(page.locator("#field-password-error")).toHaveText("Error: Enter your password.");
    await expect(page.getByLabel("Email address")).toHaveAttribute("aria-invalid", "true");
    await expectAccessible(page);

    await page.getByLabel("Email address").fill("nobody-here@e2e.test");
    await page.getByLabel("Password").fill("whatever password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toContainText("The email address or password is not right");

    // A 10 KB password, posted straight to the action; a 1 MB one is refused before it is read.
    const long = await page.request.post("/login", { form: { email: "nobody-here@e2e.test", password: "x".repeat(10 * 1024) } });
    expect(long.status()).toBe(400);
    expect(await long.text()).toContain("Passwords are at most 256 characters.");
    const huge = await page.request.post("/login", { form: { email: "nobody-here@e2e.test", password: "x".repeat(1024 * 1024) } });
    expect(huge.status()).toBe(413);

    // Duplicate sign-up.
    await page.goto("/signup");
    await page.getByLabel("Full name").fill("Someone Else");
    await page.getByLabel("Email address").fill(E2E_ADMIN.email);
    await page.getByLabel("Password", { exact: true }).fill("another long password");
    await page.getByLabel("Confirm password").fill("another long password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#field-email-error")).toContainText("already exists");
    await expectAccessible(page);
    // The existing admin's password still works: nothing was overwritten.
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  });

  test("changing the password signs out the session in another browser", async ({ browser }) => {
    const email = uniqueEmail();
    const laptop = await browser.newContext();
    const phone = await browser.newContext();
    const a = await laptop.newPage();
    const b = await phone.newPage();
    await signUp(a, { name: "Tom Reid", email, password: "first password here" });
    await signIn(b, email, "first password here");

    await a.goto("/account");
    await expectAccessible(a);
    await a.getByLabel("Current password").fill("first password here");
    await a.getByLabel("New password", { exact: true }).fill("second password here");
    await a.getByLabel("Confirm new password").fill("second password here");
    await a.getByRole("button", { name: "Change password" }).click();
    await expect(a.getByRole("status")).toContainText("Your password has been changed");

    // The browser that changed it stays signed in; the other one is signed out.
    await a.goto("/dashboard");
    await expect(a.getByRole("heading", { name: "Welcome, Tom Reid" })).toBeVisible();
    await b.goto("/dashboard");
    await expect(b).toHaveURL(/\/login/);
    await signIn(b, email, "second password here");
    await laptop.close();
    await phone.close();
  });

  test("without JavaScript, changing the password keeps this browser signed in with a new session", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const email = uniqueEmail("nojs");
    await page.goto("/signup");
    await page.getByLabel("Full name").fill("Noor Static");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill("first password here");
    await page.getByLabel("Confirm password").fill("first password here");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Welcome, Noor Static" })).toBeVisible();
    const before = (await context.cookies()).find((c) => c.name === "ata_session")?.value;

    await page.goto("/account");
    await page.getByLabel("Current password").fill("first password here");
    await page.getByLabel("New password", { exact: true }).fill("second password here");
    await page.getByLabel("Confirm new password").fill("second password here");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("status")).toContainText("Your password has been changed");
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    // No axe here: it runs as JavaScript, which this browser has turned off. The same page is
    // checked with axe in "changing the password signs out the session in another browser".
    const after = (await context.cookies()).find((c) => c.name === "ata_session")?.value;
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    await page.goto("/dashboard");
    await expect(page.getByRole("heading", { name: "Welcome, Noor Static" })).toBeVisible();
    await context.close();
  });

  test("a trainer is refused the admin pages; an admin can use them", async ({ page }) => {
    await signUp(page, { name: "Role Tester", email: uniqueEmail(), password: "role tester password" });
    const response = await page.goto("/admin/users");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("You do not have access to this page");
    await expectAccessible(page);
    const post = await page.request.post("/admin/users", { form: { intent: "disable", userId: "1" } });
    expect(post.status()).toBe(403);
    await signOut(page);

    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await page.goto("/admin/users");
    await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
    await expect(page.getByRole("cell", { name: "Role Tester", exact: true })).toBeVisible();
    await expectAccessible(page);
    await page.goto("/admin/audit");
    await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
    await expectAccessible(page);

    // Trainers' progress, one trainer's page, and the retake policy with bad input.
    await page.goto("/trainers");
    await expect(page.getByRole("heading", { name: "Trainers’ progress" })).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("link", { name: "Role Tester" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Role Tester" })).toBeVisible();
    await expectAccessible(page);
    await page.goto("/admin/assessment-policy");
    await page.getByLabel("Hours to wait after an unsuccessful attempt").fill("1.5");
    await page.getByLabel("Unsuccessful attempts in a row before an assessor must unlock").fill("0");
    await page.getByRole("button", { name: "Save policy" }).click();
    await expect(page.locator("#field-cooldownHours-error")).toContainText("whole number of hours");
    await expect(page.locator("#field-failsBeforeLock-error")).toContainText("at least 1");
    await expectAccessible(page);
    await page.goto("/admin/assessment-policy");
    await expect(page.getByLabel("Hours to wait after an unsuccessful attempt")).toHaveValue("24");
    await page.goto("/admin/certificates");
    await expect(page.getByRole("heading", { name: "Certificates" })).toBeVisible();
    await expectAccessible(page);
  });

  test("an admin disables an account and its open session stops working", async ({ browser }) => {
    const email = uniqueEmail();
    const trainerContext = await browser.newContext();
    const trainer = await trainerContext.newPage();
    await signUp(trainer, { name: "Dana Disabled", email, password: "dana password 123" });

    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await signIn(admin, E2E_ADMIN.email, E2E_ADMIN.password);
    await admin.goto("/admin/users");
    const row = admin.getByRole("row").filter({ hasText: email });
    await row.getByRole("button", { name: /^Disable/ }).click();
    await expect(admin.getByRole("status")).toContainText("Account disabled");
    await expect(admin.getByRole("row").filter({ hasText: email })).toContainText("Disabled");

    await trainer.goto("/dashboard");
    await expect(trainer).toHaveURL(/\/login/);
    await trainer.getByLabel("Email address").fill(email);
    await trainer.getByLabel("Password").fill("dana password 123");
    await trainer.getByRole("button", { name: "Sign in" }).click();
    await expect(trainer.getByRole("alert")).toContainText("disabled");
    await trainerContext.close();
    await adminContext.close();
  });

  test("a cross-site POST is refused with 403 and changes nothing", async ({ page, playwright }) => {
    const email = uniqueEmail("forged");
    const forged = await playwright.request.newContext();
    const base = test.info().project.use.baseURL!;
    const forgeries: Record<string, string>[] = [{ Origin: "https://evil.example" }, { "Sec-Fetch-Site": "cross-site" }];
    for (const headers of forgeries) {
      const response = await forged.post(`${base}/signup`, {
        headers,
        form: { name: "Forged", email, password: "forged password", confirmPassword: "forged password" },
      });
      expect(response.status()).toBe(403);
      expect(await response.text()).toContain("This request came from another website");
    }
    await forged.dispose();
    // Nothing was created: signing in with those details fails.
    await page.goto("/login");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill("forged password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toContainText("The email address or password is not right");
  });

  test("unknown pages show a friendly 404", async ({ page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    await expectAccessible(page);
  });

  test("security headers are on every page", async ({ page }) => {
    const response = await page.goto("/login");
    const headers = response!.headers();
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  });
});
