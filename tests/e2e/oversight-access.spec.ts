/**
 * Issue 12, the parts closed in session 5 (ADR 0028, ADR 0030): an assessor raises a concern from
 * a trainer's staff page (no email confirmation) and it is in the admins' list, filtered by
 * category, with its timeline; an admin retries a failed email. Who may open what: a trainer
 * cannot read another trainer's supervision record or any concern, an assessor cannot read
 * concerns or failed emails, and nobody signed out can. No public page or JSON holds a
 * concern's text, a supervisor's note, an email address or an enquiry's text. A safeguarding concern puts
 * the safeguarding route first, on the admin's page and on the public form. axe on each new page.
 */
import { expect, test } from "@playwright/test";
import { E2E_DATABASE } from "../../playwright.config";
import { confirmConcern, raiseConcern } from "~/concerns/concerns.server";
import { saveOwnListing, sendEnquiry } from "~/register/register.server";
import { assignSupervisor, recordSession } from "~/supervision/supervision.server";
import { E2E_ADMIN, E2E_ASSESSOR } from "./support/accounts";
import { seedCertifiedInE2e } from "./support/certified";
import { withDatabaseOf } from "./support/database";
import { expectAccessible, signIn, signOut } from "./support/helpers";

const CONCERN_TEXT = "Publicly private: the trainer shouted at my client during a hydrotherapy session.";
const STAFF_CONCERN = "Staff-raised: the trainer's insurance certificate looked altered when I checked it.";
const NOTE = "Supervisor note kept private: discussed boundaries after a distressing session.";
const ENQUIRY = "Private enquiry text: looking for a trainer for a client with a spinal injury.";
const RAISER_EMAIL = "raiser.private@case.example";
const SAFEGUARDING_TEXT = "Safeguarding, private: the client seemed afraid of the trainer and had unexplained bruises.";
const SAFEGUARDING_EMAIL = "safeguarding.private@clinic.example";

test("staff raise a concern and admins handle failed emails; each role reaches only its own pages; nothing private is public", async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  const trainer = await seedCertifiedInE2e("Petra Private", baseURL!);
  const other = await seedCertifiedInE2e("Otto Other", baseURL!);
  const now = new Date();
  const seeded = await withDatabaseOf(E2E_DATABASE, async (db) => {
    const ids = async (email: string) => (await db.selectFrom("user").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
    const [trainerId, adminId, assessorId] = [await ids(trainer.email), await ids(E2E_ADMIN.email), await ids(E2E_ASSESSOR.email)];
    // A supervision record with a note, a register listing with an enquiry, a public concern, a failed email.
    expect((await assignSupervisor(db, { id: adminId, role: "admin" }, trainerId, assessorId, baseURL!, now)).ok).toBe(true);
    const today = now.toISOString().slice(0, 10);
    const inAMonth = new Date(now.getTime() + 30 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const session = await recordSession(db, { id: assessorId, role: "assessor" }, trainerId, { heldOn: today, mode: "video", topics: ["wellbeing"], summary: NOTE, actions: [], nextDueOn: inAMonth }, baseURL!, now);
    expect(session.ok).toBe(true);
    expect((await saveOwnListing(db, trainerId, { area: "powys", postcodeDistrict: null, profile: null, consent: "on" }, now)).ok).toBe(true);
    const listing = await db.selectFrom("register_listing").select("id").where("user_id", "=", trainerId).executeTakeFirstOrThrow();
    expect((await sendEnquiry(db, listing.id, { name: "Ena Quirer", organisation: "", email: "ena.private@case.example", message: ENQUIRY }, "192.0.2.77", now)).ok).toBe(true);
    const raised = await raiseConcern(db, trainer.certificateId, { name: "Rae Private", organisation: "", email: RAISER_EMAIL, relationship: "solicitor", category: "conduct", whatHappened: CONCERN_TEXT, when: "Last week" }, "192.0.2.78", baseURL!, now);
    if (!raised.ok) throw new Error(raised.message ?? "refused");
    const secret = /\/concerns\/confirm\/([a-z2-7]+)/.exec((await db.selectFrom("email_outbox").select("body_text").where("to_address", "=", RAISER_EMAIL).executeTakeFirstOrThrow()).body_text)![1]!;
    expect((await confirmConcern(db, secret, now)).ok).toBe(true);
    // A safeguarding concern: its page puts the safeguarding route first (issue 12 item 2).
    const safeguarding = await raiseConcern(db, trainer.certificateId, { name: "Sol Guard", organisation: "", email: SAFEGUARDING_EMAIL, relationship: "clinician", category: "safeguarding", whatHappened: SAFEGUARDING_TEXT, when: "Yesterday" }, "192.0.2.79", baseURL!, now);
    if (!safeguarding.ok) throw new Error(safeguarding.message ?? "refused");
    const safeguardingSecret = /\/concerns\/confirm\/([a-z2-7]+)/.exec((await db.selectFrom("email_outbox").select("body_text").where("to_address", "=", SAFEGUARDING_EMAIL).executeTakeFirstOrThrow()).body_text)![1]!;
    expect((await confirmConcern(db, safeguardingSecret, now)).ok).toBe(true);
    // An email the worker gave up on (written as the worker leaves it, so the server's worker never races for it).
    const failing = await db
      .insertInto("email_outbox")
      .values({ to_address: "bounced.private@nowhere.example", subject: "Failed on purpose (e2e)", body_text: "x", created_at: now.toISOString(), sent_at: null, last_error: "550 mailbox unavailable", claimed_at: null, claimed_by: null, attempts: 8, next_attempt_at: null, failed_at: now.toISOString() })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { trainerId, otherId: await ids(other.email), concernId: raised.value.id, safeguardingId: safeguarding.value.id, listingId: listing.id, failedEmailId: failing.id };
  });

  // 1. An assessor raises a concern from the trainer's staff page; bad input gets field messages.
  await signIn(page, E2E_ASSESSOR.email, E2E_ASSESSOR.password);
  await page.goto(`/trainers/${seeded.trainerId}`);
  await page.getByRole("button", { name: "Raise the concern" }).click();
  await expect(page.getByText("Choose what the concern is about.")).toBeVisible();
  await expect(page.getByText("Describe what happened in at least 20 characters.")).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("What is the concern about?").selectOption({ label: "Scope of practice" });
  await page.getByLabel("What happened").fill(STAFF_CONCERN);
  await page.getByLabel("When did it happen?").fill("This morning");
  await page.getByRole("button", { name: "Raise the concern" }).click();
  await expect(page.getByRole("status")).toContainText("sent to the admins for triage");
  const reference = /C-[A-Z2-7]{8}/.exec((await page.getByRole("status").textContent())!)![0];
  await expectAccessible(page);
  // An assessor reads neither concerns nor failed emails.
  for (const path of ["/admin/concerns", `/admin/concerns/${seeded.concernId}`, "/admin/failed-emails", "/admin/settings"]) expect((await page.goto(path))?.status(), path).toBe(403);
  expect((await page.request.post("/admin/failed-emails", { form: { intent: "dismiss", emailId: String(seeded.failedEmailId) } })).status()).toBe(403);
  await signOut(page);

  // 2. A trainer reads no concern, no failed email, no other trainer's supervision record, and cannot raise a concern as staff.
  await signIn(page, other.email, other.password);
  for (const path of ["/admin/concerns", `/admin/concerns/${seeded.concernId}`, "/admin/failed-emails", `/supervision/${seeded.trainerId}`]) expect((await page.goto(path))?.status(), path).toBe(403);
  expect((await page.request.post(`/trainers/${seeded.trainerId}`, { form: { intent: "concern", category: "other", whatHappened: "A trainer trying to raise a staff concern.", when: "Now" } })).status()).toBe(403);
  expect((await page.request.post(`/admin/concerns/${seeded.concernId}`, { form: { intent: "note", note: "A trainer's note" } })).status()).toBe(403);
  await signOut(page);

  // 3. The admin finds the staff concern by category, with its timeline; the list pages and filters.
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/admin/concerns");
  await page.getByLabel("Category").selectOption({ label: "Scope of practice" });
  await page.getByRole("button", { name: "Filter" }).click();
  await page.waitForURL(/category=scope_of_practice/);
  await expect(page.getByRole("link", { name: reference })).toBeVisible();
  // The public concern about the same trainer is "Conduct": filtered out.
  await expect(page.getByRole("table")).not.toContainText("Conduct");
  await expectAccessible(page);
  await page.goto("/admin/concerns?state=open&category=conduct");
  await expect(page.getByRole("table")).not.toContainText(reference);
  await expect(page.getByRole("table")).toContainText("Petra Private");
  await page.goto("/admin/concerns?category=scope_of_practice");
  await page.getByRole("link", { name: reference }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Concern ${reference}`);
  await expect(page.getByText(STAFF_CONCERN)).toBeVisible();
  await expect(page.locator(".timeline")).toContainText("Raised by a member of staff");
  await expect(page.locator(".timeline")).toContainText(`by ${E2E_ASSESSOR.name}`);
  // Only a safeguarding concern shows the safeguarding route, and first: above the facts, the concern and triage.
  await expect(page.getByText("Safeguarding first.")).toHaveCount(0);
  await page.goto(`/admin/concerns/${seeded.safeguardingId}`);
  const route = page.getByRole("note").filter({ hasText: "Safeguarding first." });
  await expect(route).toContainText("999 if there is immediate danger");
  const routeBox = (await route.boundingBox())!;
  for (const later of [page.locator("dl.facts"), page.getByText(SAFEGUARDING_TEXT), page.getByLabel("Severity")]) expect(routeBox.y + routeBox.height).toBeLessThanOrEqual((await later.boundingBox())!.y);
  await expectAccessible(page);

  // 4. The admin finds failed emails under Settings, retries the failed one; a second click is refused and changes nothing.
  const mainNav = page.getByRole("navigation", { name: "Main" });
  await mainNav.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expectAccessible(page);
  // The register's settings page (issue 12 item 4: noindex is a policy setting): a change reaches the public page at once.
  await page.getByRole("main").getByRole("link", { name: "Public register" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Public register settings" })).toBeVisible();
  await expectAccessible(page);
  const saveNoindex = async (label: RegExp) => {
    await page.getByRole("radio", { name: label }).check();
    // The notice of the first save is still on screen during the second, so wait for this save's own answer
    // (the action's POST) before reading the public page.
    const saved = page.waitForResponse((response) => response.request().method() === "POST" && new URL(response.url()).pathname.startsWith("/admin/register"));
    await page.getByRole("button", { name: "Save settings" }).click();
    expect((await saved).ok()).toBe(true);
    await expect(page.getByRole("status")).toContainText("The register settings have been saved.");
  };
  try {
    await saveNoindex(/^No, let search engines index it/);
    const indexable = await page.request.get("/register");
    expect(indexable.headers()["x-robots-tag"]).toBeUndefined();
    expect(await indexable.text()).not.toContain('name="robots"');
  } finally {
    await saveNoindex(/^Yes, keep it out of search engines/);
  }
  expect((await page.request.get("/register")).headers()["x-robots-tag"]).toBe("noindex");
  await expectAccessible(page);
  await page.goto("/admin/settings");
  await page.getByRole("main").getByRole("link", { name: "Failed emails" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Failed emails" })).toBeVisible();
  await expect(mainNav.getByRole("link", { name: "Settings" })).toHaveClass(/active/);
  const row = page.getByRole("row", { name: /Failed on purpose \(e2e\)/ });
  await expect(row).toContainText("550 mailbox unavailable");
  await expectAccessible(page);
  await row.getByRole("button", { name: `Retry email ${seeded.failedEmailId}` }).click();
  await expect(page.getByRole("status")).toContainText(`Email ${seeded.failedEmailId} is queued again`);
  await expect(page.getByRole("row", { name: /Failed on purpose \(e2e\)/ })).toHaveCount(0);
  expect((await page.request.post("/admin/failed-emails", { form: { intent: "retry", emailId: String(seeded.failedEmailId) } })).status()).toBe(404);
  await expectAccessible(page);
  const audited = await withDatabaseOf(E2E_DATABASE, (db) => db.selectFrom("audit_event").select("action").where("subject_type", "=", "email").where("subject_id", "=", String(seeded.failedEmailId)).execute());
  expect(audited.map((a) => a.action)).toEqual(["email.retried"]);
  await signOut(page);

  // 5. Signed out: the new pages ask to sign in; no public page or JSON holds anything private.
  for (const path of ["/admin/concerns", `/admin/concerns/${seeded.concernId}`, "/admin/failed-emails"]) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(302);
    expect(response.headers().location, path).toMatch(/^\/login\?redirectTo=/);
  }
  const cert = trainer.certificateId;
  // The public concern form gives the safeguarding route before its first field.
  await page.goto(`/verify/${cert}/concern`);
  const urgent = page.getByText("If anyone is in immediate danger, call 999.");
  expect((await urgent.boundingBox())!.y).toBeLessThan((await page.getByLabel("Your name").boundingBox())!.y);
  for (const path of ["/", "/verify", `/verify/${cert}`, `/verify/${cert}.json`, `/verify/${cert}/concern`, "/register", "/register?area=powys", "/register.data?area=powys", `/register/${seeded.listingId}/contact`, `/register?q=${encodeURIComponent("Petra Private")}`]) {
    const response = await page.request.get(path);
    expect(response.status(), path).toBe(200);
    const body = await response.text();
    for (const secret of [CONCERN_TEXT, SAFEGUARDING_TEXT, SAFEGUARDING_EMAIL, STAFF_CONCERN, NOTE, ENQUIRY, RAISER_EMAIL, "Rae Private", reference, trainer.email, "ena.private@case.example", E2E_ASSESSOR.email, "@e2e.test"]) expect(body, `${path} holds ${secret}`).not.toContain(secret);
  }
});
