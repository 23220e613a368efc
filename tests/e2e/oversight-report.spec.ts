/**
 * Oversight reports for commissioners (issue 15 item 4, ADR 0043): a trainer reads exactly what a
 * recipient will see, sends it, and the recipient opens the page and its PDF from the emailed
 * link; the trainer withdraws the link and it opens nothing. An admin asks for a report to be
 * sent; the trainer sees the request with the preview and approves. Staff other than admins, and
 * trainers, cannot open the admin's page. axe on every page visited.
 */
import { expect, test } from "@playwright/test";
import { E2E_DATABASE } from "../../playwright.config";
import { E2E_ADMIN, E2E_ASSESSOR } from "./support/accounts";
import { seedCertifiedInE2e } from "./support/certified";
import { withDatabaseOf } from "./support/database";
import { expectAccessible, signIn, signOut, uniqueEmail } from "./support/helpers";

async function linkSentTo(address: string): Promise<string> {
  const mail = await withDatabaseOf(E2E_DATABASE, (db) => db.selectFrom("email_outbox").select("body_text").where("to_address", "=", address).orderBy("id", "desc").executeTakeFirstOrThrow());
  return new URL(/https?:\/\/\S+\/oversight\/\S+/.exec(mail.body_text)![0]).pathname;
}

test("a trainer sends their oversight report; the recipient reads it and its PDF; an admin's request waits for the trainer's approval", async ({ page, browser, baseURL }) => {
  test.setTimeout(300_000);
  const trainer = await seedCertifiedInE2e("Orla Oversight-Ó Briain", baseURL!);
  const recipientEmail = uniqueEmail("casemanager");

  // 1. The trainer finds the report from their certificate and sees what will be shared.
  await signIn(page, trainer.email, trainer.password);
  await page.goto("/dashboard");
  await page.getByRole("link", { name: "Your oversight report" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your oversight report" })).toBeVisible();
  const preview = page.locator(".oversight-preview");
  await expect(preview.getByRole("heading", { name: "Orla Oversight-Ó Briain" })).toBeVisible();
  await expect(preview).toContainText("Valid");
  await expect(preview.getByRole("region", { name: "Training completed" }).locator("tbody tr")).toHaveCount(5);
  await expect(preview).not.toContainText(trainer.email);
  await expectAccessible(page);

  // 2. Bad input: each field says what is missing, nothing is sent.
  await page.getByRole("button", { name: "Send the report" }).click();
  await expect(page.locator("#field-recipientName-error")).toContainText("Enter the recipient’s name.");
  await expect(page.locator("#field-recipientEmail-error")).toContainText("Enter the recipient’s email address.");
  await expectAccessible(page);

  // 3. Sent to a named recipient.
  await page.getByLabel("Recipient’s name").fill("Casey Manager");
  await page.getByLabel("Recipient’s organisation").fill("North Case Management Ltd");
  await page.getByLabel("Recipient’s email address").fill(recipientEmail);
  await page.getByRole("button", { name: "Send the report" }).click();
  await expect(page.getByRole("status")).toContainText("The report has been sent.");
  const sent = page.getByRole("region", { name: "Reports sent" });
  await expect(sent.getByRole("row", { name: /Casey Manager/ })).toContainText("not opened yet");

  // 4. The recipient opens the emailed link: the page, never cached or indexed, and the PDF.
  const link = await linkSentTo(recipientEmail);
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  const response = await visitor.goto(link);
  expect(response!.status()).toBe(200);
  expect(response!.headers()["cache-control"]).toContain("no-store");
  expect(response!.headers()["x-robots-tag"]).toContain("noindex");
  await expect(visitor.getByRole("heading", { level: 2, name: "Orla Oversight-Ó Briain" })).toBeVisible();
  await expect(visitor.getByText("Sent to Casey Manager at the trainer’s request.")).toBeVisible();
  await expect(visitor.locator(".verify-status__value")).toHaveText(/Valid/);
  await expectAccessible(visitor);
  const pdf = await visitor.request.get(`${link}/pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

  // 5. The trainer sees it was opened, and withdraws it: the link opens nothing.
  await page.reload();
  await expect(sent.getByRole("row", { name: /Casey Manager/ })).toContainText(/opened (once|\d+ times)/);
  await sent.getByRole("button", { name: "Withdraw link: Casey Manager" }).click();
  await expect(page.getByRole("status")).toContainText("The link has been withdrawn");
  expect((await visitor.goto(link))!.status()).toBe(404);
  await expect(visitor.getByText("This link does not open a report.")).toBeVisible();
  await visitorContext.close();
  await signOut(page);

  // 6. An admin asks for the report to go to a solicitor; nothing is sent yet.
  const solicitor = uniqueEmail("solicitor");
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto(`/trainers/${trainer.userId}`);
  await page.getByRole("link", { name: "Oversight report for a commissioner" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Oversight report" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Recipient’s name").fill("Sol Icitor");
  await page.getByLabel("Recipient’s organisation").fill("Icitor & Co Solicitors");
  await page.getByLabel("Recipient’s email address").fill(solicitor);
  await page.getByRole("button", { name: "Ask the trainer to approve" }).click();
  await expect(page.getByRole("status")).toContainText("The trainer has been asked");
  await expect(page.getByRole("region", { name: "Reports sent" }).getByRole("row", { name: /Sol Icitor/ })).toContainText("Waiting for the trainer to approve");
  expect(await withDatabaseOf(E2E_DATABASE, (db) => db.selectFrom("email_outbox").select("id").where("to_address", "=", solicitor).execute())).toHaveLength(0);
  await signOut(page);

  // 7. The trainer reads the request beside the preview and approves: the solicitor gets the link.
  await signIn(page, trainer.email, trainer.password);
  await page.goto("/oversight-report");
  const waiting = page.getByRole("region", { name: "Waiting for your approval" });
  await expect(waiting.getByRole("row", { name: /Sol Icitor/ })).toBeVisible();
  await expectAccessible(page);
  await waiting.getByRole("button", { name: "Approve and send: Sol Icitor" }).click();
  await expect(page.getByRole("status")).toContainText("Approved: the report has been sent.");
  expect(await linkSentTo(solicitor)).toMatch(/^\/oversight\//);

  // 8. Only admins open the admin's page.
  for (const path of [`/trainers/${trainer.userId}/oversight-report`, `/trainers/${trainer.userId}/oversight-report/pdf`]) {
    expect((await page.request.get(path, { maxRedirects: 0 })).status(), path).toBe(403);
  }
  await signOut(page);
  await signIn(page, E2E_ASSESSOR.email, E2E_ASSESSOR.password);
  expect((await page.request.get(`/trainers/${trainer.userId}/oversight-report`, { maxRedirects: 0 })).status()).toBe(403);
  expect((await page.request.get("/oversight-report", { maxRedirects: 0 })).status()).toBe(403);
});
