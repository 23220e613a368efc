import fs from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E_ADMIN } from "./support/accounts";
import { enterSignInCode, expectAccessible } from "./support/helpers";
import { startOwnServer } from "./support/own-server";

/**
 * A relying party is handed a trainer's Open Badges credential file and checks it on /verify;
 * after an admin revokes the certificate, the same file reads "Revoked". Runs on a server of its
 * own, seeded with a certified trainer, so the shared server's certificate lists are untouched.
 */
let server: Awaited<ReturnType<typeof startOwnServer>>;
let certificateId: string;

test.beforeAll(async () => {
  const port = Number(process.env.E2E_PORT ?? 3210) + 20;
  server = await startOwnServer("credentials", 20, { WEB_CONCURRENCY: "1", EVIDENCE_DIR: `tests/.tmp/evidence-credentials-${port}` }, { script: "tests/e2e/support/credential-server.ts" });
  certificateId = /CERTIFIED ([a-z2-7]{32})/.exec(server.output())![1]!;
});

test.afterAll(() => server?.stop());

async function checkFile(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
  await page.goto(`${server.baseUrl}/verify`);
  await page.getByLabel("Credential file", { exact: true }).setInputFiles(file);
  await page.getByRole("button", { name: "Check the credential" }).click();
}

async function revokeAsAdmin(browser: Browser, id: string) {
  const context = await browser.newContext();
  const admin = await context.newPage();
  await admin.goto(`${server.baseUrl}/login`);
  await admin.getByLabel("Email address").fill(E2E_ADMIN.email);
  await admin.getByLabel("Password").fill(E2E_ADMIN.password);
  await admin.getByRole("button", { name: "Sign in" }).click();
  await enterSignInCode(admin, E2E_ADMIN.email);
  await admin.goto(`${server.baseUrl}/admin/certificates`);
  await expectAccessible(admin);
  // The actions sit in a disclosure per row (one certificate on this server).
  const row = admin.getByRole("row").filter({ hasText: "Zoë Ó Briain" });
  await row.getByText("Suspend or revoke").click();
  await row.getByLabel("Reason (recorded in the audit trail)").fill("Serious breach of the scope of practice");
  await row.getByRole("button", { name: "Revoke (final)" }).click();
  await expect(admin.getByRole("status")).toContainText("Certificate revoked.");
  await expect(admin.getByText("Revocation reason: Serious breach")).toBeVisible();
  await context.close();
  expect(id).toMatch(/^[a-z2-7]{32}$/);
}

test("a relying party checks the downloaded credential; after revocation the same file reads Revoked", async ({ page, browser }) => {
  test.setTimeout(180_000);
  // The certificate's public page links to the signed credential and names the signing DID.
  await page.goto(`${server.baseUrl}/verify/${certificateId}`);
  await expect(page.getByRole("heading", { name: "Zoë Ó Briain" })).toBeVisible();
  await expectAccessible(page);
  const did = (await page.locator("code.did").first().textContent())!;
  expect(did).toMatch(/^did:key:z6Mk/);
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Signed credential (Open Badges 3.0, JSON)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`approved-trainer-credential-${certificateId}.json`);
  const buffer = fs.readFileSync((await download.path())!);
  const credential = JSON.parse(buffer.toString()) as { type: string[]; issuer: { id: string } };
  expect(credential.type).toContain("OpenBadgeCredential");
  expect(credential.issuer.id).toBe(did);
  const response = await page.request.get(`${server.baseUrl}/verify/${certificateId}/credential`);
  expect(response.headers()["content-type"]).toContain("application/vc+ld+json");

  // The issuer page publishes the same DID.
  await page.goto(`${server.baseUrl}/issuer`);
  await expect(page.getByRole("heading", { name: "Approved Trainer Academy", level: 1 })).toBeVisible();
  await expect(page.locator("code.did", { hasText: did })).toBeVisible();
  await expectAccessible(page);
  const profile = (await (await page.request.get(`${server.baseUrl}/issuer.json`)).json()) as { id: string; otherIdentifier: { identifier: string }[] };
  expect(profile.id).toBe(did);

  // Upload the file on /verify.
  const file = { name: "credential.json", mimeType: "application/json", buffer };
  await checkFile(page, file);
  await expect(page.getByRole("status")).toContainText("Valid, issued by Approved Trainer Academy");
  await expect(page.getByText("The signature is valid")).toBeVisible();
  await expectAccessible(page);

  // Bad input: a clear message next to the field, never a 500.
  await page.goto(`${server.baseUrl}/verify`);
  await page.getByLabel("Or paste the credential").fill("this is not JSON");
  await page.getByRole("button", { name: "Check the credential" }).click();
  await expect(page.locator("#field-credentialFile-error")).toContainText("not valid JSON");
  await expectAccessible(page);
  await checkFile(page, { name: "big.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ padding: "x".repeat(70_000) })) });
  await expect(page.locator("#field-credentialFile-error")).toContainText("larger than 64 KB");
  await checkFile(page, { name: "tampered.json", mimeType: "application/json", buffer: Buffer.from(buffer.toString().replace("Zoë Ó Briain", "Zoe O Brian")) });
  await expect(page.getByRole("status")).toContainText("Not valid");
  await expect(page.getByText("The signature is not valid")).toBeVisible();

  // An admin revokes the certificate; the very same file now reads Revoked.
  await revokeAsAdmin(browser, certificateId);
  await checkFile(page, file);
  await expect(page.getByRole("status")).toContainText("Revoked");
  await expect(page.getByText("It has been revoked by the academy")).toBeVisible();
  await expectAccessible(page);
  const list = await page.request.get((credential as unknown as { credentialStatus: { statusListCredential: string } }).credentialStatus.statusListCredential);
  expect(list.headers()["cache-control"]).toContain("max-age=60");
  expect(list.headers()["access-control-allow-origin"]).toBe("*");
});
