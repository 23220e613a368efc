/**
 * Two-factor sign-in (issue 17 item 1, ADR 0032). An admin makes a trainer an assessor; the new
 * assessor is sent to set up two-factor sign-in before any staff page, lets a set-up expire, then
 * enrols (the test computes codes from the key shown as text, as an authenticator app would),
 * signs out, signs in with password + code (a wrong code and a replayed code are refused next to
 * the field), and with a recovery code (which then works no more). An admin resets the second
 * factor with a reason, which signs the assessor out. axe on every new page.
 *
 * A trainer enrols, makes new recovery codes (an old one then fails at sign-in, a new one works)
 * and turns two-factor sign-in off with password and a recovery code; the assessor above sees why
 * they cannot turn it off, with no button.
 */
import { expect, test, type Page } from "@playwright/test";
import { E2E_ADMIN } from "./support/accounts";
import { asStaff, enrolSecondFactor, expectAccessible, serverNow, setServerClockOffset, signOut, signUp, uniqueEmail } from "./support/helpers";
import { knownTotpSecret, totpCode } from "./support/totp";

const PASSWORD = "a long assessor password";

async function password(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Enter your sign-in code" })).toBeVisible();
}

async function enterCode(page: Page, code: string) {
  await page.getByLabel("Sign-in code", { exact: true }).fill(code);
  await page.getByRole("button", { name: "Continue" }).click();
}

const wrongCode = (right: string) => (right === "000000" ? "111111" : "000000");

test("an assessor enrols, signs in with a code and with a recovery code; wrong and reused codes are refused; an admin resets it", async ({ browser }) => {
  test.setTimeout(360_000);
  const name = "Tamsin Twofactor";
  const email = uniqueEmail("twofactor");
  const trainer = await browser.newContext();
  await signUp(await trainer.newPage(), { name, email, password: PASSWORD });
  await trainer.close();
  let userId = "";
  await asStaff(browser, E2E_ADMIN, async (admin) => {
    await admin.goto(`/admin/users?q=${encodeURIComponent(email)}`);
    await admin.getByLabel(`Role for ${name}`).selectOption("assessor");
    await admin.getByRole("button", { name: `Change role for ${name}` }).click();
    await expect(admin.getByRole("status")).toContainText(`${name} is now an assessor`);
    userId = /\/admin\/users\/(\d+)\/two-factor/.exec((await admin.getByRole("link", { name: `Reset two-factor sign-in of ${email}` }).getAttribute("href")) ?? "")![1]!;
  });

  // Signed in with the password only, the assessor reaches no staff page before setting it up.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account\/two-factor\?redirectTo=%2Fdashboard$/);
  await page.goto("/marking");
  await expect(page).toHaveURL(/\/account\/two-factor\?redirectTo=%2Fmarking$/);
  await expect(page.getByText("Staff accounts must use two-factor sign-in")).toBeVisible();
  await expectAccessible(page);

  // A set-up left for more than 15 minutes expires: a clear message, nothing turned on.
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  const firstKey = (await page.locator("#two-factor-secret").textContent())!;
  try {
    await setServerClockOffset(page, 16 * 60_000);
    await page.getByLabel("Code from your app").fill(totpCode(firstKey, await serverNow(page)));
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    await expect(page.getByRole("alert")).toContainText("This set-up has expired");
    await expect(page.locator("#two-factor-secret")).toHaveCount(0);
  } finally {
    await setServerClockOffset(page, 0);
  }

  // Enrol: the QR code and the key as text; a wrong code is refused next to the field.
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(page.getByRole("img", { name: "QR code to scan with your authenticator app" })).toBeVisible();
  const key = (await page.locator("#two-factor-secret").textContent())!;
  expect(key.replace(/\s+/g, "")).toMatch(/^[A-Z2-7]{32}$/);
  expect(key).not.toBe(firstKey);
  await expectAccessible(page);
  await page.getByLabel("Code from your app").fill(wrongCode(totpCode(key, await serverNow(page))));
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(page.locator("#field-code-error")).toContainText("That code is not right");
  await expectAccessible(page);
  await page.getByLabel("Code from your app").fill(totpCode(key, await serverNow(page)));
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Your recovery codes" })).toBeVisible();
  const recoveryCodes = await page.locator(".recovery-codes code").allTextContents();
  expect(recoveryCodes).toHaveLength(10);
  await expectAccessible(page);
  await page.getByRole("link", { name: "I have kept my recovery codes: continue" }).click();
  await expect(page).toHaveURL(/\/marking$/);
  // Never shown again.
  await page.goto("/account/two-factor");
  await expect(page.getByText("Two-factor sign-in is on for your account")).toBeVisible();
  await expect(page.locator("main")).not.toContainText(key);
  await expect(page.locator("#two-factor-secret")).toHaveCount(0);
  // Staff cannot turn it off while the policy requires it: the page says why, with no button.
  await expect(page.getByText("so you cannot turn it off")).toBeVisible();
  await expect(page.getByRole("button", { name: "Turn off two-factor sign-in" })).toHaveCount(0);
  await expectAccessible(page);
  await signOut(page);

  // Password, then a code: a wrong one is refused next to the field; the right one signs in.
  // A second browser waits at the same step and replays the same code at once: refused.
  await password(page, email);
  await expectAccessible(page);
  const code = totpCode(key, await serverNow(page), 1);
  await enterCode(page, wrongCode(code));
  await expect(page.locator("#field-code-error")).toContainText("That code is not right");
  await expectAccessible(page);
  const replayContext = await browser.newContext();
  const replay = await replayContext.newPage();
  await password(replay, email);
  await enterCode(page, code);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(page).toHaveURL(/\/dashboard$/);
  await enterCode(replay, code);
  await expect(replay.locator("#field-code-error")).toContainText("That code has been used already");
  await expectAccessible(replay);
  await signOut(page);

  // A recovery code instead of the app: it works once.
  await password(page, email);
  await enterCode(page, recoveryCodes[0]!);
  await expect(page.getByRole("status")).toContainText("You signed in with a recovery code");
  await expect(page.getByText("Recovery codes left:")).toContainText("9 of 10");
  await expectAccessible(page);
  await enterCode(replay, recoveryCodes[0]!);
  await expect(replay.locator("#field-code-error")).toContainText("That recovery code is not right, or has been used already");
  await replayContext.close();

  // An admin resets it, with a reason (required): the assessor is signed out everywhere.
  await asStaff(browser, E2E_ADMIN, async (admin) => {
    await admin.goto(`/admin/users/${userId}/two-factor`);
    await expect(admin.getByRole("heading", { level: 1, name: "Reset two-factor sign-in" })).toBeVisible();
    await expect(admin.locator(".facts")).toContainText("On");
    await expectAccessible(admin);
    await admin.getByRole("button", { name: "Reset two-factor sign-in" }).click();
    await expect(admin.locator("#field-reason-error")).toContainText("at least 10 characters");
    await expectAccessible(admin);
    await admin.getByLabel("Reason (recorded in the audit trail)").fill("Lost phone and codes; identity checked by video call");
    await admin.getByRole("button", { name: "Reset two-factor sign-in" }).click();
    await expect(admin.getByRole("status")).toContainText(`${name}'s two-factor sign-in has been reset`);
    await admin.goto("/admin/audit");
    await expect(admin.getByRole("cell", { name: "account.two_factor_reset" }).first()).toBeVisible();
  });
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login/);
  await context.close();
});

test("a trainer makes new recovery codes (an old one then fails at sign-in, a new one works) and turns two-factor sign-in off", async ({ page }) => {
  const email = uniqueEmail("twofactor-trainer");
  await signUp(page, { name: "Rowan Recovery", email, password: PASSWORD });
  await page.goto("/account/two-factor");
  const oldCodes = await enrolSecondFactor(page, email);
  const key = knownTotpSecret(email)!;
  await page.goto("/account/two-factor");
  await expect(page.getByRole("heading", { level: 2, name: "New recovery codes" })).toBeVisible();
  await expectAccessible(page);

  // New codes need a code from the app: a recovery code is refused next to the field.
  await page.getByLabel("Code from your app", { exact: true }).fill(oldCodes[0]!);
  await page.getByRole("button", { name: "Make new recovery codes" }).click();
  await expect(page.locator("#field-regenerate-code-error")).toContainText("a recovery code cannot be used here");
  await expectAccessible(page);
  await page.getByLabel("Code from your app", { exact: true }).fill(totpCode(key, await serverNow(page), 1));
  await page.getByRole("button", { name: "Make new recovery codes" }).click();
  await expect(page.getByRole("status")).toContainText("Your old recovery codes no longer work");
  const newCodes = await page.locator(".recovery-codes code").allTextContents();
  expect(newCodes).toHaveLength(10);
  expect(newCodes).not.toContain(oldCodes[1]);
  await expectAccessible(page);
  await signOut(page);

  // At sign-in an old code fails; a new one works.
  await password(page, email);
  await enterCode(page, oldCodes[1]!);
  await expect(page.locator("#field-code-error")).toContainText("That recovery code is not right, or has been used already");
  await enterCode(page, newCodes[0]!);
  await expect(page.getByRole("status")).toContainText("You signed in with a recovery code");
  await expect(page.getByText("Recovery codes left:")).toContainText("9 of 10");

  // Turning it off needs the password as well as a code: a wrong one is refused next to its field.
  await page.getByLabel("Your password").fill("not my password");
  await page.getByLabel("Code from your app, or a recovery code").fill(newCodes[1]!);
  await page.getByRole("button", { name: "Turn off two-factor sign-in" }).click();
  await expect(page.locator("#field-turn-off-password-error")).toContainText("That password is not right");
  await expectAccessible(page);
  await page.getByLabel("Your password").fill(PASSWORD);
  await page.getByLabel("Code from your app, or a recovery code").fill(newCodes[1]!);
  await page.getByRole("button", { name: "Turn off two-factor sign-in" }).click();
  await expect(page.getByRole("status")).toContainText("Two-factor sign-in is now off");
  await expect(page.getByRole("button", { name: "Set up two-factor sign-in" })).toBeVisible();
  await expectAccessible(page);
  await signOut(page);

  // The password alone signs in now.
  await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});
