/**
 * Sessions people can see (issue 17 item 2, ADR 0031): a trainer signed in on two browsers sees
 * both on the account page, described from each browser's User-Agent, with this one marked;
 * signs the other out, whose next request goes to sign-in; then "sign out everywhere else".
 * axe on the account page.
 */
import { expect, test } from "@playwright/test";
import { expectAccessible, signIn, signUp, uniqueEmail } from "./support/helpers";

const PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const LAPTOP_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

test("a trainer sees where they are signed in and signs another device out", async ({ browser }) => {
  const email = uniqueEmail("sessions");
  const password = "a long trainer password";
  const laptopContext = await browser.newContext({ userAgent: LAPTOP_UA });
  const laptop = await laptopContext.newPage();
  await signUp(laptop, { name: "Sasha Sessions", email, password });
  const phoneContext = await browser.newContext({ userAgent: PHONE_UA });
  const phone = await phoneContext.newPage();
  await signIn(phone, email, password);

  await laptop.goto("/account");
  const list = laptop.locator(".session-list");
  await expect(list.locator(".session-list__item")).toHaveCount(2);
  const here = list.locator(".session-list__item", { hasText: "This device" });
  await expect(here).toContainText("Firefox on Linux");
  await expect(list.locator(".session-list__item", { hasText: "Safari on iPhone" })).toContainText("last used around");
  await expectAccessible(laptop);

  // Sign the phone out: its next request goes to sign-in.
  await laptop.getByRole("button", { name: /^Sign out: Safari on iPhone/ }).click();
  await expect(laptop.getByRole("status")).toContainText("1 session has been signed out.");
  await expect(list.locator(".session-list__item")).toHaveCount(1);
  await phone.goto("/dashboard");
  await expect(phone).toHaveURL(/\/login/);

  // Two more sign-ins, then "everywhere else": only this one is left, and it still works.
  await signIn(phone, email, password);
  const tabletContext = await browser.newContext();
  const tablet = await tabletContext.newPage();
  await signIn(tablet, email, password);
  await laptop.reload();
  await expect(list.locator(".session-list__item")).toHaveCount(3);
  await laptop.getByRole("button", { name: "Sign out everywhere else" }).click();
  await expect(laptop.getByRole("status")).toContainText("2 sessions have been signed out.");
  await expect(list.locator(".session-list__item")).toHaveCount(1);
  await expectAccessible(laptop);
  for (const other of [phone, tablet]) {
    await other.goto("/account");
    await expect(other).toHaveURL(/\/login/);
  }
  await laptop.goto("/dashboard");
  await expect(laptop).toHaveURL(/\/dashboard/);
  await Promise.all([laptopContext.close(), phoneContext.close(), tabletContext.close()]);
});
