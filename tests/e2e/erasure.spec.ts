/**
 * Erasure requests (issue 17 item 4, ADR 0034): a certified trainer asks to close their account
 * (confirming with their password) from the account page; an admin finds the request in the
 * admin navigation, opens it and carries it out; the certificate's verification page (and its
 * JSON) then reads "No longer listed" without the name; the trainer's old session goes to sign-in
 * and their old address and password no longer sign in. axe on every new page. The trainer is
 * this spec's own (a unique address), so no other spec's state changes.
 */
import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./support/accounts";
import { seedCertifiedInE2e } from "./support/certified";
import { expectAccessible, signIn } from "./support/helpers";

test("a trainer asks for erasure, an admin carries it out, and the certificate is no longer listed", async ({ page, browser, baseURL }) => {
  test.setTimeout(300_000);
  const trainer = await seedCertifiedInE2e("Ysolde Erasure-Ní Dhuibhir", baseURL!);
  await page.goto(`/verify/${trainer.certificateId}`);
  await expect(page.getByRole("heading", { level: 1, name: "Ysolde Erasure-Ní Dhuibhir" })).toBeVisible();

  // 1. The trainer asks, from the account page; a wrong password changes nothing.
  await signIn(page, trainer.email, trainer.password);
  await page.goto("/account");
  await page.getByRole("link", { name: "see what happens and ask for erasure" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Close your account and erase your data" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Your password").fill("not my password");
  await page.getByRole("button", { name: "Ask to close my account and erase my data" }).click();
  await expect(page.locator(".field__error")).toContainText("That is not your password");
  await page.getByLabel("Your password").fill(trainer.password);
  await page.getByRole("button", { name: "Ask to close my account and erase my data" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your request has been sent" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Withdraw my request" })).toBeVisible();
  await expectAccessible(page);

  // 2. An admin finds it from the navigation and carries it out.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, E2E_ADMIN.email, E2E_ADMIN.password);
  await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Erasure requests" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Erasure requests" })).toBeVisible();
  await expectAccessible(admin);
  await admin.getByRole("row", { name: new RegExp(trainer.email.replace(/[.+]/g, "\\$&")) }).getByRole("link", { name: /^Review request/ }).click();
  await expect(admin.getByRole("heading", { level: 1, name: /^Erasure request \d+$/ })).toBeVisible();
  await expect(admin.locator(".facts")).toContainText("Ysolde Erasure-Ní Dhuibhir");
  await expectAccessible(admin);
  await admin.getByRole("button", { name: "Carry out the erasure" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "The erasure has been carried out" })).toBeVisible();
  await expect(admin.locator(".facts")).toContainText("Erased trainer");
  await expect(admin.locator(".facts")).not.toContainText(trainer.email);
  await expect(admin.getByRole("button", { name: "Carry out the erasure" })).toHaveCount(0);
  await expectAccessible(admin);

  // 3. The verification page and its JSON: "No longer listed", nothing personal.
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(`/verify/${trainer.certificateId}`);
  await expect(visitor.getByRole("heading", { level: 1, name: "No longer listed" })).toBeVisible();
  await expect(visitor.locator("main")).not.toContainText("Ysolde");
  await expectAccessible(visitor);
  const json = await (await visitor.request.get(`/verify/${trainer.certificateId}.json`)).text();
  expect(JSON.parse(json)).toMatchObject({ id: trainer.certificateId, status: "no_longer_listed", statusLabel: "No longer listed", valid: false });
  expect(json).not.toMatch(/Ysolde|Erased trainer|Dhuibhir/);

  // 4. The trainer's old session goes to sign-in; the old address and password do not sign in.
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email address").fill(trainer.email);
  await page.getByLabel("Password").fill(trainer.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("The email address or password is not right");
  await Promise.all([adminContext.close(), visitorContext.close()]);
});
