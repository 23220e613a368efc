import { expect, type Page } from "@playwright/test";
import { tinyPdf } from "../../helpers/evidence";

/** Filling in the trainer's entry requirements through the real forms. */
export const DAY = 24 * 60 * 60 * 1000;
export const date = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
export const PASSWORD = "a long trainer password";

export function randomDbsNumber(): string {
  return Array.from({ length: 12 }, () => Math.floor(Math.random() * 10)).join("");
}

export async function addQualification(page: Page, file: { name: string; mimeType: string; buffer: Buffer } = { name: "certificate.pdf", mimeType: "application/pdf", buffer: tinyPdf() }) {
  await page.goto("/requirements/qualifications/new");
  await page.getByRole("radio", { name: "Personal training qualification" }).check();
  await page.getByLabel("Level", { exact: true }).selectOption("3");
  await page.getByLabel("Awarding organisation").fill("Active IQ");
  await page.getByLabel("Qualification title").fill("Level 3 Diploma in Personal Training");
  await page.getByLabel("Qualification number").fill("603/2791/3");
  await page.getByLabel("Certificate number").fill("AIQ-0012345");
  await page.getByLabel("Issue date").fill(date(-700));
  await page.getByLabel("Certificate (PDF, PNG or JPEG)").setInputFiles(file);
}

export async function fillInsurance(page: Page, insurer: string, evidence: { name: string; mimeType: string; buffer: Buffer }) {
  await page.goto("/requirements/insurance/new");
  await page.getByLabel("Insurer").fill(insurer);
  await page.getByLabel("Policy number").fill("PT-778899");
  await page.getByLabel("Public liability limit (£)").fill("5,000,000");
  await page.getByLabel("Professional indemnity limit (£)").fill("1,500,000");
  await page.getByRole("radio", { name: /Per occurrence/ }).check();
  await page.getByLabel("Covered activities").fill("Personal training and exercise instruction, including in clients' homes");
  await page.getByLabel("Territory").fill("United Kingdom");
  await page.getByLabel("Start date").fill(date(-30));
  await page.getByLabel("End date").fill(date(300));
  await page.getByLabel("Policy schedule or certificate (PDF, PNG or JPEG)").setInputFiles(evidence);
}

export async function recordDbs(page: Page, dbsNumber: string) {
  await page.goto("/requirements/dbs");
  await expect(page.getByText("Do not upload or send a copy of your DBS certificate.")).toBeVisible();
  await expect(page.locator('input[type="file"]')).toHaveCount(0);
  await page.getByLabel("Certificate number").fill(dbsNumber);
  await page.getByLabel("Date of issue").fill(date(-10));
  await page.getByLabel("Adults' barred list").check();
  await page.getByRole("radio", { name: "Adult workforce", exact: true }).check();
  await page.getByRole("radio", { name: "Yes", exact: true }).check();
  await page.getByLabel(/I consent to RMR carrying out Update Service status checks/).check();
  await page.getByLabel("I will show the original certificate to an assessor").check();
}

