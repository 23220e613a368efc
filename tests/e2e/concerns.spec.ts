/**
 * Story (b) of issue 12 (ADR 0030): a case manager raises a concern from the verification page,
 * confirms it through the emailed link and gets a reference; an admin triages it, suspends the
 * certificate while it is under review (the verification page shows only the status), adds a
 * note, reinstates and closes it with an outcome, on an audited timeline. A trainer cannot open
 * the concerns pages. axe on every page.
 */
import { expect, test } from "@playwright/test";
import { E2E_DATABASE } from "../../playwright.config";
import { E2E_ADMIN } from "./support/accounts";
import { seedCertifiedInE2e } from "./support/certified";
import { withDatabaseOf } from "./support/database";
import { expectAccessible, signIn, signOut } from "./support/helpers";

test("a case manager raises and confirms a concern; an admin triages it, suspends under review, reinstates and closes it", async ({ page, browser, baseURL }) => {
  test.setTimeout(240_000);
  const trainer = await seedCertifiedInE2e("Colm Concern", baseURL!);
  const concernText = "The trainer advised my client to stop taking prescribed painkillers before sessions.";

  // 1. From the verification page, the case manager raises a concern; bad input gets field messages.
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(`/verify/${trainer.certificateId}`);
  await visitor.getByRole("link", { name: "Raise a concern with the issuer" }).click();
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText("Raise a concern with the issuer");
  await expectAccessible(visitor);
  await visitor.getByRole("button", { name: "Send the concern" }).click();
  await expect(visitor.getByText("Enter your name.")).toBeVisible();
  await expect(visitor.getByText("Choose what the concern is about.")).toBeVisible();
  await expectAccessible(visitor);
  await visitor.getByLabel("Your name").fill("Casey Manager");
  await visitor.getByLabel("Organisation (optional)").fill("North Wales Case Management");
  await visitor.getByLabel("Your email address").fill("casey.concern@case-management.example");
  await visitor.getByLabel("How do you know the trainer?").selectOption({ label: "Case manager" });
  await visitor.getByLabel("What is the concern about?").selectOption({ label: "Scope of practice" });
  await visitor.getByLabel("What happened").fill(concernText);
  await visitor.getByLabel("When did it happen?").fill("Last Tuesday");
  await visitor.getByRole("button", { name: "Send the concern" }).click();
  await expect(visitor.getByRole("status")).toContainText("We have emailed you a link");

  // 2. The emailed link confirms it and gives a reference.
  const email = await withDatabaseOf(E2E_DATABASE, (db) =>
    db.selectFrom("email_outbox").select("body_text").where("to_address", "=", "casey.concern@case-management.example").orderBy("id", "desc").executeTakeFirstOrThrow(),
  );
  const link = /https?:\/\/\S+\/concerns\/confirm\/[a-z2-7]+/.exec(email.body_text)![0];
  await visitor.goto(new URL(link).pathname);
  await expectAccessible(visitor);
  await visitor.getByRole("button", { name: "Confirm the concern" }).click();
  await expect(visitor.getByRole("status")).toContainText("Its reference is C-");
  const reference = /C-[A-Z2-7]{8}/.exec((await visitor.getByRole("status").textContent())!)![0];
  await expectAccessible(visitor);

  // 3. A trainer cannot open the concerns pages.
  await signIn(page, trainer.email, trainer.password);
  expect((await page.goto("/admin/concerns"))?.status()).toBe(403);
  await signOut(page);

  // 4. An admin triages it and suspends the certificate while it is under review.
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/admin/concerns");
  await expectAccessible(page);
  await page.getByRole("link", { name: reference }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Concern ${reference}`);
  await expect(page.getByText(concernText)).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Severity").selectOption({ label: "High" });
  await page.getByLabel("Handler").selectOption({ label: "Sam Assessor" });
  await page.getByRole("button", { name: "Save triage" }).click();
  await expect(page.getByRole("status")).toContainText("Triage saved.");
  await page.getByRole("button", { name: "Suspend the certificate while under review" }).click();
  await expect(page.getByRole("status")).toContainText("Certificate suspended.");

  // The verification page shows the status only: nothing of the concern.
  await visitor.goto(`/verify/${trainer.certificateId}`);
  await expect(visitor.locator(".verify-status__value")).toHaveText(/Suspended — under review/);
  expect(((await (await visitor.request.get(`/verify/${trainer.certificateId}.json`)).json()) as { reason: string }).reason).toBe("under review");
  for (const path of [`/verify/${trainer.certificateId}`, `/verify/${trainer.certificateId}.json`]) {
    const body = await (await visitor.request.get(path)).text();
    for (const secret of [concernText, reference, "casey.concern@case-management.example", "Casey Manager"]) expect(body, `${path} holds ${secret}`).not.toContain(secret);
  }

  // 5. A note, reinstatement and the outcome close it; the timeline shows every step.
  await page.getByLabel("Note").fill("Spoke to the trainer; supervision action agreed on medication boundaries.");
  await page.getByRole("button", { name: "Add the note" }).click();
  await expect(page.getByRole("status")).toContainText("Note added.");
  await page.getByRole("button", { name: "Reinstate the certificate" }).click();
  await expect(page.getByRole("status")).toContainText("Certificate reinstated.");
  await page.getByRole("button", { name: "Close with this outcome" }).click();
  await expect(page.getByText("Record the outcome in at least 10 characters.")).toBeVisible();
  await page.getByLabel("Outcome").fill("Advice given; supervision action completed; no further action.");
  await page.getByRole("button", { name: "Close with this outcome" }).click();
  await expect(page.getByRole("status")).toContainText("Concern closed.");
  const timeline = page.getByRole("list").filter({ hasText: "Raised" }).last();
  for (const step of ["Raised", "Confirmed by the person who raised it", "Triaged", "Certificate suspended", "Note", "Certificate reinstated", "Closed"]) await expect(timeline).toContainText(step);
  await expectAccessible(page);
  await visitor.goto(`/verify/${trainer.certificateId}`);
  await expect(visitor.locator(".verify-status__value")).toContainText("Valid");
  await visitorContext.close();
  await signOut(page);

  // 6. The trainer was told a concern exists and its outcome, never who raised it or what they wrote.
  await signIn(page, trainer.email, trainer.password);
  await page.goto("/dashboard");
  const told = page.getByRole("region", { name: "Concerns about your practice" });
  await expect(told).toContainText("A concern about scope of practice");
  await expect(told).toContainText("Outcome: Advice given; supervision action completed; no further action.");
  for (const secret of [concernText, "Casey Manager", "casey.concern@case-management.example", "North Wales Case Management", reference]) await expect(told).not.toContainText(secret);
  await expectAccessible(page);
  await signOut(page);
});
