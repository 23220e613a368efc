/**
 * The public register of Medical-Legal Approved Trainers (issue 12, ADR 0029). A trainer appears
 * only while three things hold, all checked in the query that lists them: they consented and have
 * not withdrawn, their account is enabled, and a certificate of theirs is valid today by the live
 * status rule (`liveStatusIs` from certificates/status-sql.server.ts, the one module of
 * certificates this domain imports). Suspension, revocation, supersession and lapsed evidence
 * therefore remove a trainer on the next request: nothing here is cached.
 *
 * Nothing that reaches a commissioner carries an email address: enquiries go to the trainer
 * through the outbox (`sendEnquiry`), and their text is kept nowhere but that email.
 */
import type { ExpressionBuilder } from "kysely";
import type { DB } from "~db/connection";
import type { Database } from "~db/schema";
import { recordAudit } from "~/audit/audit.server";
import { DatabaseWindowCounter } from "~/auth/login-throttle.server";
import { liveStatusIs, getStatusRules, type StatusRules } from "~/certificates/status-sql.server";
import { queueEmail } from "~/email/outbox.server";
import { HOUR, iso } from "~/utils/clock";
import { ukToday } from "~/utils/dates";
import { containsText, keysetPage, type KeysetSort } from "~/utils/keyset";
import { likePattern, parsePageRequest, parseSearch, type Page, type PageRequest } from "~/utils/pagination";
import { randomToken } from "~/utils/random.server";
import { ok, refuse, tooMany, waitPhrase, type Result } from "~/utils/result";
import { areaLabel, isArea } from "./areas";
import type { EnquiryInput, ListingInput } from "./validation";

export interface OwnListing {
  id: string;
  area: string;
  postcodeDistrict: string | null;
  profile: string | null;
  consentedAt: string;
  /** Shown on the register right now (consented, and a certificate valid today). */
  listedNow: boolean;
}

type CertificateEb = ExpressionBuilder<Database, "certificate">;

/** Listings shown today: consent in force, account enabled, a certificate valid by the live rule. */
function listedListings(db: DB, today: string, rules: StatusRules) {
  return db
    .selectFrom("register_listing")
    .innerJoin("user", "user.id", "register_listing.user_id")
    .innerJoin("certificate", "certificate.user_id", "register_listing.user_id")
    .where("register_listing.withdrawn_at", "is", null)
    .where("user.disabled_at", "is", null)
    .where((eb) => liveStatusIs(eb as unknown as CertificateEb, "valid", today, rules));
}

/** The trainer's own listing (current consent only), and whether it shows today. */
export async function getOwnListing(db: DB, userId: number, now: Date): Promise<OwnListing | null> {
  const row = await db.selectFrom("register_listing").selectAll().where("user_id", "=", userId).where("withdrawn_at", "is", null).executeTakeFirst();
  if (!row) return null;
  const shown = await listedListings(db, ukToday(now), await getStatusRules(db, now))
    .select("register_listing.id")
    .where("register_listing.id", "=", row.id)
    .executeTakeFirst();
  return { id: row.id, area: row.area, postcodeDistrict: row.postcode_district, profile: row.profile, consentedAt: row.consented_at, listedNow: shown !== undefined };
}

/**
 * Records the trainer's consent and listing details (only ever their own: the caller passes the
 * signed-in user's id). A first consent, or one after a withdrawal, is audited as consent given
 * with its time; later edits as listing updated.
 */
export async function saveOwnListing(db: DB, userId: number, input: ListingInput, now: Date): Promise<Result<{ consentGiven: boolean }>> {
  const user = await db.selectFrom("user").select(["role", "disabled_at"]).where("id", "=", userId).executeTakeFirst();
  if (!user || user.role !== "trainer" || user.disabled_at) return refuse(403, "Only trainers can be listed on the register.");
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("register_listing").select(["id", "withdrawn_at"]).where("user_id", "=", userId).executeTakeFirst();
    const details = { area: input.area, postcode_district: input.postcodeDistrict, profile: input.profile, updated_at: iso(now) };
    const consentGiven = !existing || existing.withdrawn_at !== null;
    let id: string;
    if (!existing) {
      id = randomToken(15);
      await trx.insertInto("register_listing").values({ id, user_id: userId, ...details, consented_at: iso(now), withdrawn_at: null }).execute();
    } else {
      id = existing.id;
      await trx
        .updateTable("register_listing")
        .set(consentGiven ? { ...details, consented_at: iso(now), withdrawn_at: null } : details)
        .where("id", "=", id)
        .execute();
    }
    await recordAudit(
      trx,
      {
        actorUserId: userId,
        action: consentGiven ? "register.consent_given" : "register.listing_updated",
        subjectType: "user",
        subjectId: userId,
        details: { listing: id, area: input.area, postcodeDistrict: input.postcodeDistrict, profileLength: input.profile?.length ?? 0 },
      },
      now,
    );
    return ok({ consentGiven });
  });
}

/** Withdraws the trainer's consent: off the register at once. Audited with the time. */
export async function withdrawOwnListing(db: DB, userId: number, now: Date): Promise<Result> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("register_listing").select("id").where("user_id", "=", userId).where("withdrawn_at", "is", null).executeTakeFirst();
    if (!existing) return refuse(409, "You are not on the register.");
    await trx.updateTable("register_listing").set({ withdrawn_at: iso(now), updated_at: iso(now) }).where("id", "=", existing.id).execute();
    await recordAudit(trx, { actorUserId: userId, action: "register.consent_withdrawn", subjectType: "user", subjectId: userId, details: { listing: existing.id } }, now);
    return ok();
  });
}

export interface RegisterQuery {
  q: string;
  /** An area's value, or "" for every area. */
  area: string;
  page: PageRequest;
}

export function parseRegisterQuery(params: URLSearchParams): RegisterQuery {
  const area = params.get("area") ?? "";
  return { q: parseSearch(params.get("q")), area: isArea(area) ? area : "", page: parsePageRequest(params, ["string", "string"]) };
}

/** What the public sees of one trainer: no email, phone or address, and no user id. */
export interface RegisterEntry {
  listingId: string;
  name: string;
  area: string;
  areaLabel: string;
  postcodeDistrict: string | null;
  profile: string | null;
  certificateId: string;
  expiresOn: string;
}

/** One page of the register, by name, searched by name and area, in the database (keyset). */
export async function listRegisterPage(db: DB, query: RegisterQuery, now: Date): Promise<Page<RegisterEntry>> {
  const today = ukToday(now);
  const rules = await getStatusRules(db, now);
  let base = listedListings(db, today, rules);
  if (query.q) base = base.where(containsText("certificate.trainer_name", likePattern(query.q)));
  if (query.area) base = base.where("register_listing.area", "=", query.area);
  const select = (b: typeof base) =>
    b.select([
      "register_listing.id as listing_id",
      "certificate.trainer_name",
      "register_listing.area",
      "register_listing.postcode_district",
      "register_listing.profile",
      "certificate.id as certificate_id",
      "certificate.expires_on",
    ]);
  type Row = Awaited<ReturnType<ReturnType<typeof select>["execute"]>>[number];
  const sort: KeysetSort<Row> = { column: "certificate.trainer_name", id: "register_listing.id", direction: "asc", key: (row) => [row.trainer_name, row.listing_id] };
  return keysetPage({ base, select: (b) => select(b as typeof base), sort, request: query.page }, (row) => ({
    listingId: row.listing_id,
    name: row.trainer_name,
    area: row.area,
    areaLabel: areaLabel(row.area),
    postcodeDistrict: row.postcode_district,
    profile: row.profile,
    certificateId: row.certificate_id,
    expiresOn: row.expires_on,
  }));
}

/** A listed trainer as the contact page shows them (name and area only), or null when not listed today. */
export async function findListedTrainer(db: DB, listingId: string, now: Date): Promise<{ listingId: string; name: string; areaLabel: string } | null> {
  if (!/^[a-z2-7]{1,64}$/.test(listingId)) return null;
  const row = await listedListings(db, ukToday(now), await getStatusRules(db, now))
    .select(["register_listing.id", "certificate.trainer_name", "register_listing.area"])
    .where("register_listing.id", "=", listingId)
    .executeTakeFirst();
  return row ? { listingId: row.id, name: row.trainer_name, areaLabel: areaLabel(row.area) } : null;
}

/** Enquiries a client address may send per hour, and a listed trainer may receive per day. */
export const ENQUIRIES_PER_IP_PER_HOUR = 5;
export const ENQUIRIES_PER_TRAINER_PER_DAY = 20;

/**
 * Refused before anything else when the client address has sent its share this hour (shared
 * database counters, as the account limits use), or the trainer has had their share today.
 */
export async function enquiryWait(db: DB, ip: string, listingId: string, now: Date): Promise<number> {
  const byIp = new DatabaseWindowCounter(db, "register-enquiry-ip", ENQUIRIES_PER_IP_PER_HOUR, HOUR);
  const byTrainer = new DatabaseWindowCounter(db, "register-enquiry-listing", ENQUIRIES_PER_TRAINER_PER_DAY, 24 * HOUR);
  return Math.max(await byIp.retryAfterMs(ip, now), await byTrainer.retryAfterMs(listingId, now));
}

export function tooManyEnquiriesMessage(waitMs: number): string {
  return `Too many enquiries have been sent from this connection or to this trainer recently. Please wait ${waitPhrase(waitMs)} and try again.`;
}

/**
 * Sends a commissioner's enquiry to a listed trainer, through the outbox. The trainer's address
 * is read here and never returned; the enquiry's text is kept only in the email itself.
 */
export async function sendEnquiry(db: DB, listingId: string, enquiry: EnquiryInput, ip: string, now: Date): Promise<Result> {
  const wait = await enquiryWait(db, ip, listingId, now);
  if (wait > 0) return tooMany(wait, tooManyEnquiriesMessage(wait));
  const listed = await findListedTrainer(db, listingId, now);
  if (!listed) return refuse(404, "This trainer is not on the register today.");
  const trainer = await db
    .selectFrom("register_listing")
    .innerJoin("user", "user.id", "register_listing.user_id")
    .select(["user.email", "user.name"])
    .where("register_listing.id", "=", listingId)
    .executeTakeFirstOrThrow();
  await new DatabaseWindowCounter(db, "register-enquiry-ip", ENQUIRIES_PER_IP_PER_HOUR, HOUR).record(ip, now);
  await new DatabaseWindowCounter(db, "register-enquiry-listing", ENQUIRIES_PER_TRAINER_PER_DAY, 24 * HOUR).record(listingId, now);
  const from = enquiry.organisation ? `${enquiry.name} (${enquiry.organisation})` : enquiry.name;
  await queueEmail(
    db,
    {
      to: trainer.email,
      subject: "An enquiry through the Approved Trainer register",
      text: [
        `Dear ${trainer.name},`,
        "",
        `${from} found you on the public register of Medical-Legal Approved Trainers and sent this enquiry through the academy:`,
        "",
        enquiry.message,
        "",
        `To reply, write to ${enquiry.email}. The academy has not shared your email address with them; it is up to you whether to reply.`,
        "",
        "You receive this because you chose to be listed on the register. You can change your listing or leave the register at any time from your account.",
      ].join("\n"),
    },
    now,
  );
  return ok();
}
