import { expect, test } from "@playwright/test";
import { expectAccessible } from "./support/helpers";

/** Issue 13 item 14: the footer's pages, written as versioned content (ADR 0020). */
test("the footer links to the privacy notice, accessibility statement, terms of use and contact page, on a phone too", async ({ page }) => {
  const pages = [
    { link: "Privacy notice", heading: "Privacy notice", says: "Only administrators can see DBS certificate details" },
    { link: "Accessibility statement", heading: "Accessibility statement", says: "WCAG) version 2.2 at level AA" },
    { link: "Terms of use", heading: "Terms of use", says: "governed by the law of England and Wales" },
    { link: "Contact", heading: "Contact the academy", says: "Information Commissioner's Office" },
  ];
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const p of pages) {
      await page.goto("/");
      await page.getByRole("contentinfo").getByRole("navigation", { name: "About the academy" }).getByRole("link", { name: p.link, exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
      await expect(page.getByRole("article")).toContainText(p.says);
      await expect(page.getByText(/Version 2026\.\d+ · last reviewed/)).toBeVisible();
      await expect(page).toHaveTitle(new RegExp(`^${p.heading}`));
      await expectAccessible(page);
    }
  }
  await page.goto("/privacy");
  await page.getByRole("link", { name: "contact page" }).click();
  await expect(page).toHaveURL(/\/contact$/);
});
