/**
 * The public register (issue 12 item 4, ADR 0029): who is listed (consent in force, account
 * enabled, a certificate valid today by the live-status SQL), search by name and area, keyset
 * pages, consent and withdrawal audited, and enquiries through the outbox, rate-limited per
 * address, with the trainer's address and the enquiry's text in no public result. Runs on
 * SQLite, and on PostgreSQL when DATABASE_URL is set (as `.ci/run` does).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { revokeCertificate, suspendCertificate, reinstateCertificate } from "~/certificates/admin.server";
import { finish, reevaluate } from "~/approval/approval.server";
import { registerModuleVersions } from "~/content/catalog.server";
import { ENQUIRIES_PER_IP_PER_HOUR, findListedTrainer, getOwnListing, listRegisterPage, parseRegisterQuery, saveOwnListing, sendEnquiry, withdrawOwnListing } from "~/register/register.server";
import { getRegisterSettings, updateRegisterSettings } from "~/register/settings.server";
import { enquirySchema, listingSchema, type ListingInput } from "~/register/validation";
import { AREAS, areaLabel, isArea } from "~/register/areas";
import { DAY, HOUR, addMs, iso } from "~/utils/clock";
import { addDays, dateOf } from "~/utils/dates";
import { validate } from "~/utils/forms";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createTestDb, createUser } from "../helpers/db";
import { addRenewedInsurance } from "../helpers/renewal";

const BASE = "http://academy.test";
const now = new Date("2026-06-01T09:00:00Z");
let db: DB;
let staffId: number;
let adminId: number;
let n = 0;

async function certified(name: string, insuranceEndsOn?: string) {
  n += 1;
  return seedCertifiedTrainer(db, { name, email: `register${n}@example.test`, password: "seeded password 1", staffUserId: staffId, insuranceEndsOn }, BASE, now);
}

const listing = (area: string, extra: Partial<ListingInput> = {}): ListingInput => ({ area, postcodeDistrict: null, profile: null, consent: "on", ...extra });

async function optIn(userId: number, area: string, extra: Partial<ListingInput> = {}, when = now) {
  const result = await saveOwnListing(db, userId, listing(area, extra), when);
  if (!result.ok) throw new Error(`opt-in refused: ${result.message}`);
  return result.value;
}

/** Every name listed for a search, across all pages. */
async function listedNames(search: Record<string, string> = {}, when = now): Promise<string[]> {
  const page = await listRegisterPage(db, parseRegisterQuery(new URLSearchParams({ limit: "100", ...search })), when);
  return page.items.map((item) => item.name);
}

beforeAll(async () => {
  db = await createTestDb();
  await registerModuleVersions(db, now);
  staffId = (await createUser(db, { role: "assessor" })).id;
  adminId = (await createUser(db, { role: "admin" })).id;
});

describe("register visibility", () => {
  it("a trainer with a valid certificate who consented is listed, with area, postcode district, profile and the certificate to verify", async () => {
    const trainer = await certified("Valid Vera");
    await optIn(trainer.userId, "greater-london", { postcodeDistrict: "SW1A", profile: "Strength work after orthopaedic injury." });
    const page = await listRegisterPage(db, parseRegisterQuery(new URLSearchParams({ q: "valid vera" })), now);
    expect(page.items).toEqual([
      {
        listingId: expect.stringMatching(/^[a-z2-7]+$/),
        name: "Valid Vera",
        area: "greater-london",
        areaLabel: "Greater London",
        postcodeDistrict: "SW1A",
        profile: "Strength work after orthopaedic injury.",
        certificateId: trainer.certificateId,
        expiresOn: expect.any(String),
      },
    ]);
    expect((await getOwnListing(db, trainer.userId, now))?.listedNow).toBe(true);
  });

  it("a valid trainer who never consented is not listed", async () => {
    await certified("Unconsented Uma");
    expect(await listedNames({ q: "Unconsented" })).toEqual([]);
  });

  it("suspension removes a trainer at once, and reinstatement brings them back", async () => {
    const trainer = await certified("Suspended Sid");
    await optIn(trainer.userId, "kent");
    expect(await listedNames({ q: "Suspended Sid" })).toEqual(["Suspended Sid"]);
    expect((await suspendCertificate(db, adminId, trainer.certificateId, "Under review by governance", now)).ok).toBe(true);
    expect(await listedNames({ q: "Suspended Sid" })).toEqual([]);
    expect(await findListedTrainer(db, (await getOwnListing(db, trainer.userId, now))!.id, now)).toBeNull();
    expect((await getOwnListing(db, trainer.userId, now))?.listedNow).toBe(false);
    expect((await reinstateCertificate(db, adminId, trainer.certificateId, "Review closed, no action", now)).ok).toBe(true);
    expect(await listedNames({ q: "Suspended Sid" })).toEqual(["Suspended Sid"]);
  });

  it("a revoked trainer is not listed", async () => {
    const trainer = await certified("Revoked Rory");
    await optIn(trainer.userId, "kent");
    expect((await revokeCertificate(db, adminId, trainer.certificateId, "Conduct outside scope of practice", now)).ok).toBe(true);
    expect(await listedNames({ q: "Revoked Rory" })).toEqual([]);
  });

  it("lapsed insurance removes a trainer on the day it ends, and an expired certificate is not listed", async () => {
    const trainer = await certified("Lapsing Lia", addDays(dateOf(now), 10));
    await optIn(trainer.userId, "devon");
    expect(await listedNames({ q: "Lapsing Lia" }, addMs(now, 9 * DAY))).toEqual(["Lapsing Lia"]);
    expect(await listedNames({ q: "Lapsing Lia" }, addMs(now, 11 * DAY))).toEqual([]);
    // Past the 12-month validity every seeded certificate has expired: nobody from today is listed.
    expect(await listedNames({}, addMs(now, 400 * DAY))).toEqual([]);
  });

  it("a superseded certificate is not listed; the trainer shows once, with the certificate that replaced it", async () => {
    const trainer = await certified("Renewed Rhiannon", addDays(dateOf(now), 20));
    await optIn(trainer.userId, "gwent");
    const later = addMs(now, 30 * DAY);
    await addRenewedInsurance(db, trainer.userId, staffId, later);
    const renewed = await db.transaction().execute((trx) => reevaluate(trx, trainer.userId, later));
    if (!renewed.issued) throw new Error(`not renewed: ${renewed.reason}`);
    await finish(db, renewed, BASE, later);
    const page = await listRegisterPage(db, parseRegisterQuery(new URLSearchParams({ q: "Renewed Rhiannon" })), later);
    expect(page.items.map((item) => item.certificateId)).toEqual([renewed.certificateId]);
  });

  it("withdrawing consent removes a trainer at once; consenting again lists them with a new consent time; both audited", async () => {
    const trainer = await certified("Withdrawing Wren");
    expect(await optIn(trainer.userId, "fife")).toEqual({ consentGiven: true });
    expect(await optIn(trainer.userId, "fife", { profile: "Updated." })).toEqual({ consentGiven: false });
    expect((await withdrawOwnListing(db, trainer.userId, addMs(now, DAY))).ok).toBe(true);
    expect(await listedNames({ q: "Withdrawing Wren" })).toEqual([]);
    expect(await getOwnListing(db, trainer.userId, now)).toBeNull();
    expect(await withdrawOwnListing(db, trainer.userId, now)).toMatchObject({ ok: false, status: 409 });
    expect(await optIn(trainer.userId, "fife", {}, addMs(now, 2 * DAY))).toEqual({ consentGiven: true });
    expect((await getOwnListing(db, trainer.userId, now))?.consentedAt).toBe(iso(addMs(now, 2 * DAY)));
    const audit = await db.selectFrom("audit_event").select(["action", "occurred_at", "actor_user_id"]).where("subject_type", "=", "user").where("subject_id", "=", String(trainer.userId)).where("action", "like", "register.%").orderBy("id").execute();
    expect(audit).toEqual([
      { action: "register.consent_given", occurred_at: iso(now), actor_user_id: trainer.userId },
      { action: "register.listing_updated", occurred_at: iso(now), actor_user_id: trainer.userId },
      { action: "register.consent_withdrawn", occurred_at: iso(addMs(now, DAY)), actor_user_id: trainer.userId },
      { action: "register.consent_given", occurred_at: iso(addMs(now, 2 * DAY)), actor_user_id: trainer.userId },
    ]);
  });

  it("a disabled account is not listed", async () => {
    const trainer = await certified("Disabled Dara");
    await optIn(trainer.userId, "kent");
    await db.updateTable("user").set({ disabled_at: iso(now) }).where("id", "=", trainer.userId).execute();
    expect(await listedNames({ q: "Disabled Dara" })).toEqual([]);
  });
});

describe("register search and pages", () => {
  it("searches by name (any part, any case) and by area, together or apart", async () => {
    const a = await certified("Search Ahmed Khan");
    const b = await certified("Search Bethan Jones");
    const c = await certified("Search Ciaran Khan");
    await optIn(a.userId, "west-yorkshire");
    await optIn(b.userId, "west-yorkshire");
    await optIn(c.userId, "county-down");
    expect(await listedNames({ q: "search" })).toEqual(["Search Ahmed Khan", "Search Bethan Jones", "Search Ciaran Khan"]);
    expect(await listedNames({ q: "KHAN" })).toEqual(["Search Ahmed Khan", "Search Ciaran Khan"]);
    expect(await listedNames({ area: "west-yorkshire" })).toEqual(["Search Ahmed Khan", "Search Bethan Jones"]);
    expect(await listedNames({ q: "khan", area: "county-down" })).toEqual(["Search Ciaran Khan"]);
    // LIKE wildcards are searched as typed, and an unknown area means any area.
    expect(await listedNames({ q: "%" })).toEqual([]);
    expect(parseRegisterQuery(new URLSearchParams({ area: "atlantis" })).area).toBe("");
  });

  it("pages by name with keyset cursors: every listed trainer once, none twice", async () => {
    for (const name of ["Page Ann", "Page Ben", "Page Cal", "Page Dee", "Page Eve"]) await optIn((await certified(name)).userId, "rutland");
    const seen: string[] = [];
    let params = new URLSearchParams({ area: "rutland", limit: "2" });
    const sizes: number[] = [];
    for (;;) {
      const page = await listRegisterPage(db, parseRegisterQuery(params), now);
      expect(page.total).toBe(5);
      expect(page.offset).toBe(seen.length);
      sizes.push(page.items.length);
      seen.push(...page.items.map((item) => item.name));
      if (!page.next) break;
      params = new URLSearchParams({ area: "rutland", limit: "2", after: page.next });
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(["Page Ann", "Page Ben", "Page Cal", "Page Dee", "Page Eve"]);
  });
});

describe("register authorisation and privacy", () => {
  it("only a trainer's own account can be listed: staff accounts are refused", async () => {
    const assessor = await createUser(db, { role: "assessor", name: "Staff Sam" });
    expect(await saveOwnListing(db, assessor.id, listing("kent"), now)).toMatchObject({ ok: false, status: 403 });
    expect(await db.selectFrom("register_listing").select("id").where("user_id", "=", assessor.id).execute()).toEqual([]);
  });

  it("no email address, user id or enquiry text is in what the register or the contact page returns", async () => {
    const trainer = await certified("Private Priya");
    await optIn(trainer.userId, "surrey", { profile: "Falls prevention and confidence after injury." });
    const listingId = (await getOwnListing(db, trainer.userId, now))!.id;
    const enquiry = { name: "Casey Manager", organisation: "Acme Case Management", email: "casey@case.example", message: "Looking for support for a client after a spinal injury, near Guildford." };
    expect((await sendEnquiry(db, listingId, enquiry, "198.51.100.7", now)).ok).toBe(true);
    const publicJson = JSON.stringify([await listRegisterPage(db, parseRegisterQuery(new URLSearchParams({ q: "Private Priya" })), now), await findListedTrainer(db, listingId, now)]);
    expect(publicJson).toContain("Private Priya");
    for (const secret of [`register${n}@example.test`, "@", enquiry.message, enquiry.email, `"userId"`, `"user_id"`]) expect(publicJson).not.toContain(secret);
    // The enquiry reaches the trainer, through the outbox, and nowhere else.
    const emails = await db.selectFrom("email_outbox").select(["to_address", "body_text"]).where("subject", "=", "An enquiry through the Approved Trainer register").execute();
    expect(emails).toEqual([{ to_address: `register${n}@example.test`, body_text: expect.stringContaining(enquiry.message) }]);
    expect(emails[0]!.body_text).toContain("casey@case.example");
    const audit = await db.selectFrom("audit_event").select("details").execute();
    expect(JSON.stringify(audit)).not.toContain(enquiry.message);
  });

  it("enquiries are limited per client address; a trainer who is not listed receives none", async () => {
    const trainer = await certified("Limited Lou");
    await optIn(trainer.userId, "norfolk");
    const listingId = (await getOwnListing(db, trainer.userId, now))!.id;
    const enquiry = { name: "Sol Icitor", organisation: "", email: "sol@firm.example", message: "Do you have capacity for a new client in Norwich?" };
    for (let i = 0; i < ENQUIRIES_PER_IP_PER_HOUR; i += 1) expect((await sendEnquiry(db, listingId, enquiry, "203.0.113.9", now)).ok).toBe(true);
    expect(await sendEnquiry(db, listingId, enquiry, "203.0.113.9", now)).toMatchObject({ ok: false, status: 429, retryAfterMs: HOUR });
    // Another address is not held back; the same one may send again after the hour.
    expect((await sendEnquiry(db, listingId, enquiry, "203.0.113.10", now)).ok).toBe(true);
    expect((await sendEnquiry(db, listingId, enquiry, "203.0.113.9", addMs(now, 61 * 60_000))).ok).toBe(true);
    await withdrawOwnListing(db, trainer.userId, now);
    expect(await sendEnquiry(db, listingId, enquiry, "203.0.113.11", now)).toMatchObject({ ok: false, status: 404 });
  });
});

describe("register forms", () => {
  const good = { area: "greater-manchester", postcodeDistrict: " m1 ", profile: "  Rehabilitation support.  ", consent: "on" };
  it("a listing needs an area from the list and consent; the postcode district is normalised", () => {
    expect(validate(listingSchema, good)).toEqual({ ok: true, value: { area: "greater-manchester", postcodeDistrict: "M1", profile: "Rehabilitation support.", consent: "on" } });
    expect(validate(listingSchema, { ...good, postcodeDistrict: "", profile: "" })).toMatchObject({ ok: true, value: { postcodeDistrict: null, profile: null } });
    const refused = validate(listingSchema, { area: "atlantis", postcodeDistrict: "SW1A 1AA", profile: "x".repeat(501) });
    expect(refused).toMatchObject({ ok: false, status: 400 });
    if (refused.ok) return;
    expect(Object.keys(refused.fieldErrors).sort()).toEqual(["area", "consent", "postcodeDistrict", "profile"]);
    expect(refused.fieldErrors.postcodeDistrict).toMatch(/first part of a postcode/);
  });

  it("accepts the outward codes of real postcodes and refuses others", () => {
    for (const ok of ["M1", "B33", "SW1A", "EC1A", "W1", "CR2", "DN55"]) expect(validate(listingSchema, { ...good, postcodeDistrict: ok }).ok, ok).toBe(true);
    for (const bad of ["1M", "SWA1A", "M", "SW1AA", "M1 1AE", "Q1!"]) expect(validate(listingSchema, { ...good, postcodeDistrict: bad }).ok, bad).toBe(false);
  });

  it("a profile is plain text within the length limit, without control characters or contact details", () => {
    expect(validate(listingSchema, { ...good, profile: "x".repeat(500) }).ok).toBe(true);
    for (const bad of ["<b>bold</b>", "mail me at me@example.com", "see www.example.com", "call 07700 900123", "bell\u0007"]) {
      const result = validate(listingSchema, { ...good, profile: bad });
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(result.fieldErrors.profile, bad).toBeTruthy();
    }
  });

  it("an enquiry needs a name, a reply address and a message of 20 to 2,000 characters", () => {
    const enquiry = { name: "Casey", organisation: "", email: "casey@case.example", message: "A message of enough length." };
    expect(validate(enquirySchema, enquiry).ok).toBe(true);
    const refused = validate(enquirySchema, { name: " ", email: "not-an-address", message: "short" });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(Object.keys(refused.fieldErrors).sort()).toEqual(["email", "message", "name"]);
    expect(validate(enquirySchema, { ...enquiry, message: "x".repeat(2001) }).ok).toBe(false);
  });

  it("the area list is one fixed list covering the four nations, each value unique", () => {
    expect(new Set(AREAS.map((a) => a.nation))).toEqual(new Set(["England", "Wales", "Scotland", "Northern Ireland"]));
    expect(new Set(AREAS.map((a) => a.value)).size).toBe(AREAS.length);
    expect(isArea("greater-london")).toBe(true);
    expect(areaLabel("na-h-eileanan-siar")).toBe("Na h-Eileanan Siar");
  });
});

describe("register settings", () => {
  it("noindex is on by default; an admin's change is stored and audited", async () => {
    expect(await getRegisterSettings(db)).toEqual({ noindex: true });
    expect(await updateRegisterSettings(db, adminId, { noindex: false }, now)).toEqual({ changed: true });
    expect(await getRegisterSettings(db)).toEqual({ noindex: false });
    expect(await updateRegisterSettings(db, adminId, { noindex: false }, now)).toEqual({ changed: false });
    const audit = await db.selectFrom("audit_event").select(["action", "actor_user_id", "details"]).where("action", "=", "register.settings_changed").execute();
    expect(audit).toEqual([{ action: "register.settings_changed", actor_user_id: adminId, details: JSON.stringify({ noindex: { from: true, to: false } }) }]);
    await updateRegisterSettings(db, adminId, { noindex: true }, now);
  });
});
