/**
 * Story (c) of issue 12 (ADR 0029): a certified trainer joins the public register from their
 * dashboard, appears in a search by area, can be contacted through the academy without the
 * register exposing them, leaves the register and disappears; a suspended trainer is not listed.
 * No email address or enquiry text reaches the register's HTML or its .data. axe on every page.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E_DATABASE } from "../../playwright.config";
import { E2E_ADMIN } from "./support/accounts";
import { seedCertifiedInE2e as seedCertified } from "./support/certified";
import { withDatabaseOf } from "./support/database";
import { expectAccessible, signIn, signOut } from "./support/helpers";

async function joinRegister(page: Page, area: string, profile: string) {
  await page.goto("/dashboard");
  await page.getByRole("link", { name: "Your listing on the public register" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your listing on the public register");
  await page.getByLabel("Area you work in").selectOption({ label: area });
  await page.getByLabel("First part of your postcode (optional)").fill("ll55");
  await page.getByLabel("Short profile (optional)").fill(profile);
  await page.getByLabel(/I agree to my name, area, profile/).check();
  await page.getByRole("button", { name: "Join the register" }).click();
  await expect(page.getByRole("status")).toContainText("You have joined the register");
  await expect(page.getByRole("heading", { name: "You are on the register" })).toBeVisible();
}

async function searchByArea(page: Page, area: string) {
  await page.goto("/register");
  await page.getByLabel("Area they work in").selectOption({ label: area });
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/area=gwynedd/);
}

async function asAdmin(browser: Browser, run: (page: Page) => Promise<void>) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await run(page);
  await context.close();
}

test("a trainer joins the register, is found by area and contacted through the academy, then leaves; a suspended trainer is not listed", async ({ page, browser, baseURL }) => {
  test.setTimeout(240_000);
  const listed = await seedCertified("Rhian Register", baseURL!);
  const suspended = await seedCertified("Sami Suspended", baseURL!);

  // 1. Both trainers join the register from their own page; a bad form gets field messages first.
  await signIn(page, suspended.email, suspended.password);
  await joinRegister(page, "Gwynedd", "Supporting return to walking after lower-limb injury.");
  await signOut(page);

  await signIn(page, listed.email, listed.password);
  await page.goto("/register/your-listing");
  await expectAccessible(page);
  await page.getByLabel("First part of your postcode (optional)").fill("LL55 4TY");
  await page.getByLabel("Short profile (optional)").fill("Email me at rhian@example.com");
  await page.getByRole("button", { name: "Join the register" }).click();
  await expect(page.getByText("Choose the area you work in", { exact: false }).first()).toBeVisible();
  await expect(page.getByText("Enter only the first part of a postcode")).toBeVisible();
  await expect(page.getByText("Leave out email addresses, web addresses and phone numbers")).toBeVisible();
  await expect(page.getByText("Tick the box to consent")).toBeVisible();
  await expectAccessible(page);
  await joinRegister(page, "Gwynedd", "Strength and mobility work after orthopaedic injury, within my scope of practice.");
  await expectAccessible(page);

  // A trainer cannot change another trainer's listing: a forged user id in the form is ignored.
  const forged = await page.request.post("/register/your-listing", { form: { intent: "save", area: "gwynedd", postcodeDistrict: "LL55", consent: "on", profile: "Forged profile text.", userId: String(suspended.userId), user_id: String(suspended.userId) } });
  expect(forged.ok()).toBe(true);
  const profiles = await withDatabaseOf(E2E_DATABASE, (db) => db.selectFrom("register_listing").select(["user_id", "profile"]).where("user_id", "in", [listed.userId, suspended.userId]).orderBy("user_id").execute());
  expect(profiles).toEqual([
    { user_id: listed.userId, profile: "Forged profile text." },
    { user_id: suspended.userId, profile: "Supporting return to walking after lower-limb injury." },
  ]);

  // 2. An admin suspends the second trainer's certificate.
  await asAdmin(browser, async (admin) => {
    await admin.goto("/admin/certificates?status=valid&q=Sami+Suspended");
    const row = admin.getByRole("row").filter({ hasText: suspended.name });
    await row.getByText("Suspend or revoke").click();
    await row.getByLabel("Reason (recorded in the audit trail)").fill("Under review by the governance team.");
    await row.getByRole("button", { name: "Suspend", exact: true }).click();
    await expect(admin.getByRole("status")).toContainText("Certificate suspended.");
  });

  // 3. A case manager, signed out, finds the first trainer by area; the suspended one is not listed.
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await searchByArea(visitor, "Gwynedd");
  await expectAccessible(visitor);
  const entry = visitor.getByRole("listitem").filter({ has: visitor.getByRole("heading", { name: listed.name }) });
  await expect(entry).toContainText("Works in Gwynedd (LL55)");
  await expect(entry).toContainText("Forged profile text.");
  await expect(entry.getByRole("link", { name: `Verification page for ${listed.name}` })).toHaveAttribute("href", `/verify/${listed.certificateId}`);
  await expect(visitor.getByRole("heading", { name: suspended.name })).toHaveCount(0);
  await expect(visitor.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex");

  // 4. They contact the trainer through the academy: bad input gets field messages, then it is sent.
  await entry.getByRole("link", { name: new RegExp(`^Contact through the academy\\W+send ${listed.name} an enquiry$`) }).click();
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText(`Contact ${listed.name}`);
  await expectAccessible(visitor);
  await visitor.getByRole("button", { name: "Send the enquiry" }).click();
  await expect(visitor.getByText("Enter your name.")).toBeVisible();
  await expect(visitor.getByText("Enter your email address, so the trainer can reply.")).toBeVisible();
  await expectAccessible(visitor);
  const enquiryText = "We are looking for a trainer for a client recovering from a tibial fracture near Caernarfon.";
  await visitor.getByLabel("Your name").fill("Casey Manager");
  await visitor.getByLabel("Organisation (optional)").fill("North Wales Case Management");
  await visitor.getByLabel("Your email address").fill("casey@case-management.example");
  await visitor.getByLabel("Your enquiry").fill(enquiryText);
  await visitor.getByRole("button", { name: "Send the enquiry" }).click();
  await expect(visitor.getByRole("status")).toContainText(`Your enquiry has been sent to ${listed.name}`);
  await expectAccessible(visitor);
  const emails = await withDatabaseOf(E2E_DATABASE, (db) => db.selectFrom("email_outbox").select(["to_address", "body_text"]).where("subject", "=", "An enquiry through the Approved Trainer register").execute());
  expect(emails.filter((e) => e.body_text.includes(enquiryText)).map((e) => e.to_address)).toEqual([listed.email]);

  // 5. Neither the register's HTML nor its .data carries an email address or the enquiry.
  for (const path of ["/register?area=gwynedd", "/register.data?area=gwynedd", `/register?q=${encodeURIComponent(listed.name)}`]) {
    const response = await visitor.request.get(path);
    expect(response.status(), path).toBe(200);
    if (!path.includes(".data")) expect(response.headers()["x-robots-tag"], path).toBe("noindex");
    const body = await response.text();
    expect(body, path).toContain(listed.name);
    for (const secret of [listed.email, suspended.email, "casey@case-management.example", enquiryText, "@e2e.test"]) expect(body, `${path} holds ${secret}`).not.toContain(secret);
  }

  // 6. Anonymous visitors change nothing: the trainer's page and the settings send them to sign in.
  const anonymous = await visitor.request.post("/register/your-listing", { form: { intent: "withdraw" }, maxRedirects: 0 });
  expect(anonymous.status()).toBe(302);
  expect(anonymous.headers().location).toMatch(/^\/login\?redirectTo=/);
  const settings = await visitor.request.post("/admin/register", { form: { noindex: "no" }, maxRedirects: 0 });
  expect(settings.status()).toBe(302);
  const stillListed = await withDatabaseOf(E2E_DATABASE, (db) => db.selectFrom("register_listing").select("withdrawn_at").where("user_id", "=", listed.userId).executeTakeFirstOrThrow());
  expect(stillListed.withdrawn_at).toBeNull();

  // 7. The trainer leaves the register and disappears from the search at once.
  await page.goto("/register/your-listing");
  await page.getByRole("button", { name: "Leave the register" }).click();
  await expect(page.getByRole("status")).toContainText("You have left the register");
  await expectAccessible(page);
  await searchByArea(visitor, "Gwynedd");
  await expect(visitor.getByRole("heading", { name: listed.name })).toHaveCount(0);
  await expect(visitor.getByText("No approved trainers on the register match that search.")).toBeVisible();
  // Their contact page is gone with them.
  const listingId = (await withDatabaseOf(E2E_DATABASE, (db) => db.selectFrom("register_listing").select("id").where("user_id", "=", listed.userId).executeTakeFirstOrThrow())).id;
  const contact = await visitor.request.get(`/register/${listingId}/contact`);
  expect(contact.status()).toBe(404);
  await visitorContext.close();
  await signOut(page);
});
