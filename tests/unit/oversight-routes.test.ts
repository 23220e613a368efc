/**
 * Issue 12's acceptance asks for unit tests of "authorisation for every new route (a trainer
 * cannot read another trainer's supervision record or any concern; only admins read concerns)".
 * This file calls the real loaders and actions of every route issue 12 added, with a real session
 * cookie for each role, and checks who gets through: signed out → sign in; the wrong role → 403;
 * someone else's supervision session or notification → 404 and nothing changed. The public routes
 * (register, contact, concern form) return nothing private in their loader data. And a concern's
 * "revoke" action needs its reason and the "final" tick, then revokes and goes on the timeline
 * (ADR 0030), which no other test exercised.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { DB } from "~db/connection";
import { sessionCookieName } from "~/auth/cookies.server";
import { createSession } from "~/auth/session.server";
import { enrolKnownSecondFactor } from "~/auth/two-factor.server";
import { getPublicCertificateView } from "~/certificates/public.server";
import { confirmConcern, getConcern, raiseConcern } from "~/concerns/concerns.server";
import { registerModuleVersions } from "~/content/catalog.server";
import { unreadCount } from "~/notifications/notify.server";
import { saveOwnListing, sendEnquiry } from "~/register/register.server";
import { assignSupervisor, recordSession } from "~/supervision/supervision.server";
import * as adminConcern from "~/routes/admin.concerns.$id";
import * as adminConcerns from "~/routes/admin.concerns._index";
import * as adminFailedEmails from "~/routes/admin.failed-emails";
import * as adminRegister from "~/routes/admin.register";
import * as notifications from "~/routes/notifications";
import * as registerContact from "~/routes/register.$listingId.contact";
import * as registerIndex from "~/routes/register._index";
import * as yourListing from "~/routes/register.your-listing";
import * as supervisionOf from "~/routes/supervision.$trainerId";
import * as ownSupervision from "~/routes/supervision._index";
import * as trainerPage from "~/routes/trainers.$userId";
import * as verifyConcern from "~/routes/verify.$certificateId.concern";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createTestDb, createUser } from "../helpers/db";

const BASE = "http://academy.test";
const CONCERN_TEXT = "Route test: the trainer discussed a client's medication, outside their scope.";
const SUMMARY = "Route test summary: debrief after a distressing session; no client details.";
const ENQUIRY = "Route test enquiry: looking for a trainer for a client after a hip replacement.";
const RAISER_EMAIL = "route.raiser@case.example";

type Person = { id: number; email: string } | null;
type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<unknown>;

let db: DB;
const saved = globalThis.__academyDb;
let admin: { id: number; email: string };
let supervisor: { id: number; email: string };
let otherAssessor: { id: number; email: string };
let trainer: { id: number; email: string };
let otherTrainer: { id: number; email: string };
let concernId: number;
let sessionId: number;
let listingId: string;
let certificateId: string;
let failedEmailId: number;

/** Calls a route's loader or action as `person` (null: signed out) and says what came back. */
async function call(handler: Handler, person: Person, path: string, options: { params?: Record<string, string>; form?: Record<string, string> } = {}) {
  const headers = new Headers();
  if (person) headers.set("cookie", `${sessionCookieName()}=${await createSession(db, person.id, new Date())}`);
  let body: string | undefined;
  if (options.form) {
    headers.set("content-type", "application/x-www-form-urlencoded");
    body = new URLSearchParams(options.form).toString();
  }
  const request = new Request(`${BASE}${path}`, { method: options.form ? "POST" : "GET", headers, body });
  const args = { request, params: options.params ?? {}, context: { clientIp: "192.0.2.200", cspNonce: "n" } } as unknown as LoaderFunctionArgs & ActionFunctionArgs;
  let value: unknown;
  try {
    value = await handler(args);
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, location: thrown.headers.get("Location"), data: null as unknown };
    throw thrown;
  }
  if (value instanceof Response) return { status: value.status, location: value.headers.get("Location"), data: null as unknown };
  // Remix's `data(value, init)`: the status is in `init`.
  const wrapped = value as { type?: string; data?: unknown; init?: { status?: number } | null };
  if (wrapped && wrapped.type === "DataWithResponseInit") return { status: wrapped.init?.status ?? 200, location: null, data: wrapped.data };
  return { status: 200, location: null, data: value };
}

const loaderOf = (m: { loader: unknown }) => m.loader as Handler;
const actionOf = (m: { action: unknown }) => m.action as Handler;

beforeAll(async () => {
  db = await createTestDb();
  globalThis.__academyDb = db;
  const now = new Date();
  await registerModuleVersions(db, now);
  const staff = async (role: "admin" | "assessor", name: string) => {
    const user = await createUser(db, { role, name });
    // Staff sign in with a second factor (the default policy, ADR 0032).
    await enrolKnownSecondFactor(db, user.id, new Uint8Array(20).fill(user.id % 250), now);
    return { id: user.id, email: user.email };
  };
  admin = await staff("admin", "Ada Admin");
  supervisor = await staff("assessor", "Sam Supervisor");
  otherAssessor = await staff("assessor", "Olga Otherassessor");
  const certified = async (name: string, email: string) => {
    const seeded = await seedCertifiedTrainer(db, { name, email, password: "seeded password 1", staffUserId: admin.id }, BASE, now);
    const { id } = await db.selectFrom("user").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    return { id, email, certificateId: seeded.certificateId };
  };
  const tara = await certified("Tara Routetrainer", "tara.route@example.test");
  const otto = await certified("Otto Routeother", "otto.route@example.test");
  trainer = { id: tara.id, email: tara.email };
  otherTrainer = { id: otto.id, email: otto.email };
  certificateId = tara.certificateId;

  expect((await assignSupervisor(db, { id: admin.id, role: "admin" }, trainer.id, supervisor.id, BASE, now)).ok).toBe(true);
  const today = now.toISOString().slice(0, 10);
  const inAMonth = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
  const recorded = await recordSession(db, { id: supervisor.id, role: "assessor" }, trainer.id, { heldOn: today, mode: "video", topics: ["wellbeing"], summary: SUMMARY, actions: [], nextDueOn: inAMonth }, BASE, now);
  if (!recorded.ok) throw new Error(recorded.message ?? "session refused");
  sessionId = recorded.value.sessionId;

  expect((await saveOwnListing(db, trainer.id, { area: "gwynedd", postcodeDistrict: null, profile: null, consent: "on" }, now)).ok).toBe(true);
  listingId = (await db.selectFrom("register_listing").select("id").where("user_id", "=", trainer.id).executeTakeFirstOrThrow()).id;
  expect((await sendEnquiry(db, listingId, { name: "Ena Quirer", organisation: "", email: "ena.route@case.example", message: ENQUIRY }, "192.0.2.201", now)).ok).toBe(true);

  const raised = await raiseConcern(db, certificateId, { name: "Rae Raiser", organisation: "", email: RAISER_EMAIL, relationship: "solicitor", category: "scope_of_practice", whatHappened: CONCERN_TEXT, when: "Last week" }, "192.0.2.202", BASE, now);
  if (!raised.ok) throw new Error(raised.message ?? "concern refused");
  concernId = raised.value.id;
  const mail = await db.selectFrom("email_outbox").select("body_text").where("to_address", "=", RAISER_EMAIL).executeTakeFirstOrThrow();
  expect((await confirmConcern(db, /\/concerns\/confirm\/([a-z2-7]+)/.exec(mail.body_text)![1]!, now)).ok).toBe(true);

  failedEmailId = (
    await db
      .insertInto("email_outbox")
      .values({ to_address: "bounced@nowhere.example", subject: "Failed on purpose", body_text: "x", created_at: now.toISOString(), sent_at: null, last_error: "550", claimed_at: null, claimed_by: null, attempts: 8, next_attempt_at: null, failed_at: now.toISOString() })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
});

afterAll(async () => {
  globalThis.__academyDb = saved;
  await db.destroy();
});

describe("issue 12's routes: who may open what (real loaders and actions, real sessions)", () => {
  it("signed out, every signed-in page sends you to sign in, loader and action alike", async () => {
    const pages: [Handler, string, Record<string, string>?][] = [
      [loaderOf(ownSupervision), "/supervision"],
      [actionOf(ownSupervision), "/supervision"],
      [loaderOf(supervisionOf), `/supervision/${trainer.id}`, { trainerId: String(trainer.id) }],
      [actionOf(supervisionOf), `/supervision/${trainer.id}`, { trainerId: String(trainer.id) }],
      [loaderOf(adminConcerns), "/admin/concerns"],
      [loaderOf(adminConcern), `/admin/concerns/${concernId}`, { id: String(concernId) }],
      [actionOf(adminConcern), `/admin/concerns/${concernId}`, { id: String(concernId) }],
      [loaderOf(notifications), "/notifications"],
      [actionOf(notifications), "/notifications"],
      [loaderOf(yourListing), "/register/your-listing"],
      [actionOf(yourListing), "/register/your-listing"],
      [loaderOf(adminRegister), "/admin/register"],
      [actionOf(adminRegister), "/admin/register"],
      [loaderOf(adminFailedEmails), "/admin/failed-emails"],
      [actionOf(adminFailedEmails), "/admin/failed-emails"],
      [actionOf(trainerPage), `/trainers/${trainer.id}`, { userId: String(trainer.id) }],
    ];
    for (const [handler, path, params] of pages) {
      const isAction = handler.name === "action";
      const result = await call(handler, null, path, { params, form: isAction ? { intent: "note", note: "x" } : undefined });
      expect(result.status, `${isAction ? "POST" : "GET"} ${path}`).toBe(302);
      expect(result.location, path).toMatch(/^\/login\?redirectTo=/);
    }
  });

  it("only admins read or act on concerns: assessors (even the trainer's supervisor) and trainers get 403, and nothing is written", async () => {
    const before = await getConcern(db, concernId);
    for (const person of [supervisor, otherAssessor, trainer, otherTrainer]) {
      expect((await call(loaderOf(adminConcerns), person, "/admin/concerns")).status, `list, user ${person.id}`).toBe(403);
      expect((await call(loaderOf(adminConcern), person, `/admin/concerns/${concernId}`, { params: { id: String(concernId) } })).status, `concern, user ${person.id}`).toBe(403);
      const forms: Record<string, string>[] = [{ intent: "note", note: "Not allowed to add this." }, { intent: "suspend" }, { intent: "close", outcome: "Closed by the wrong person." }];
      for (const form of forms) {
        expect((await call(actionOf(adminConcern), person, `/admin/concerns/${concernId}`, { params: { id: String(concernId) }, form })).status, `${form.intent}, user ${person.id}`).toBe(403);
      }
    }
    expect((await getConcern(db, concernId))!.timeline).toEqual(before!.timeline);
    expect((await getPublicCertificateView(db, certificateId, new Date()))!.status).toBe("valid");
    const list = await call(loaderOf(adminConcerns), admin, "/admin/concerns");
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.data)).toContain(before!.reference);
    const one = await call(loaderOf(adminConcern), admin, `/admin/concerns/${concernId}`, { params: { id: String(concernId) } });
    expect(one.status).toBe(200);
    expect(JSON.stringify(one.data)).toContain(CONCERN_TEXT);
  });

  it("a trainer cannot raise a staff concern; only an assessor or admin can, from the trainer's page", async () => {
    const form = { intent: "concern", category: "conduct", whatHappened: "A trainer trying to raise a staff concern about another.", when: "Today" };
    const count = async () => (await db.selectFrom("concern").select("id").execute()).length;
    const before = await count();
    expect((await call(actionOf(trainerPage), otherTrainer, `/trainers/${trainer.id}`, { params: { userId: String(trainer.id) }, form })).status).toBe(403);
    expect(await count()).toBe(before);
    expect((await call(actionOf(trainerPage), otherAssessor, `/trainers/${trainer.id}`, { params: { userId: String(trainer.id) }, form })).status).toBe(200);
    expect(await count()).toBe(before + 1);
  });

  it("supervision records: a trainer reads only their own; another trainer and an assessor who does not supervise are refused; only the trainer confirms their session", async () => {
    const record = (person: Person) => call(loaderOf(supervisionOf), person, `/supervision/${trainer.id}`, { params: { trainerId: String(trainer.id) } });
    // Trainers never open the staff page, not even for themselves; the other assessor is refused by the domain.
    for (const person of [trainer, otherTrainer, otherAssessor]) expect((await record(person)).status, `user ${person.id}`).toBe(403);
    for (const person of [supervisor, admin]) {
      const seen = await record(person);
      expect(seen.status, `user ${person.id}`).toBe(200);
      expect(JSON.stringify(seen.data)).toContain(SUMMARY);
    }
    // Recording: the assessor who does not supervise is refused and nothing is recorded.
    const sessions = async () => (await db.selectFrom("supervision_session").select("id").where("trainer_user_id", "=", trainer.id).execute()).length;
    const before = await sessions();
    // A valid session, so only who is asking can refuse it.
    const today = new Date().toISOString().slice(0, 10);
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const form = { intent: "record", heldOn: today, mode: "video", topic_wellbeing: "on", summary: "Recorded by someone who does not supervise the trainer.", nextDueOn: inAWeek };
    expect((await call(actionOf(supervisionOf), otherAssessor, `/supervision/${trainer.id}`, { params: { trainerId: String(trainer.id) }, form })).status).toBe(403);
    expect((await call(actionOf(supervisionOf), trainer, `/supervision/${trainer.id}`, { params: { trainerId: String(trainer.id) }, form })).status).toBe(403);
    expect(await sessions()).toBe(before);
    // The trainer's own page holds their record; the other trainer's own page holds none of it.
    const own = await call(loaderOf(ownSupervision), trainer, "/supervision");
    expect(JSON.stringify(own.data)).toContain(SUMMARY);
    const other = await call(loaderOf(ownSupervision), otherTrainer, "/supervision");
    expect(other.status).toBe(200);
    expect(JSON.stringify(other.data)).not.toContain(SUMMARY);
    // Staff have no "own supervision" page.
    expect(await call(loaderOf(ownSupervision), supervisor, "/supervision")).toMatchObject({ status: 302, location: "/dashboard" });
    // Confirming: someone else's session is not found and stays unconfirmed; the trainer's own goes through.
    const confirmed = async () => (await db.selectFrom("supervision_session").select("confirmed_at").where("id", "=", sessionId).executeTakeFirstOrThrow()).confirmed_at;
    for (const person of [otherTrainer, supervisor]) expect((await call(actionOf(ownSupervision), person, "/supervision", { form: { sessionId: String(sessionId) } })).status, `user ${person.id}`).toBe(404);
    expect(await confirmed()).toBeNull();
    expect((await call(actionOf(ownSupervision), trainer, "/supervision", { form: { sessionId: String(sessionId) } })).status).toBe(200);
    expect(await confirmed()).not.toBeNull();
  });

  it("notifications: each person lists and marks only their own", async () => {
    const own = await db.selectFrom("notification").select("id").where("user_id", "=", trainer.id).where("read_at", "is", null).executeTakeFirstOrThrow();
    const unread = await unreadCount(db, trainer.id);
    expect(unread).toBeGreaterThan(0);
    expect((await call(actionOf(notifications), otherTrainer, "/notifications", { form: { intent: "read", id: String(own.id) } })).status).toBe(404);
    expect((await call(actionOf(notifications), otherTrainer, "/notifications", { form: { intent: "all" } })).location).toBe("/notifications");
    expect(await unreadCount(db, trainer.id)).toBe(unread);
    const theirs = await call(loaderOf(notifications), otherTrainer, "/notifications");
    expect(JSON.stringify(theirs.data)).not.toContain("Please confirm your supervision record");
    expect((await call(actionOf(notifications), trainer, "/notifications", { form: { intent: "read", id: String(own.id) } })).location).toBe("/notifications");
    expect(await unreadCount(db, trainer.id)).toBe(unread - 1);
  });

  it("the register: only trainers keep a listing; only admins change its settings; failed emails are admins' only", async () => {
    for (const person of [supervisor, admin]) {
      expect((await call(loaderOf(yourListing), person, "/register/your-listing")).status, `user ${person.id}`).toBe(403);
      expect((await call(actionOf(yourListing), person, "/register/your-listing", { form: { intent: "withdraw" } })).status, `user ${person.id}`).toBe(403);
    }
    expect((await call(loaderOf(yourListing), trainer, "/register/your-listing")).status).toBe(200);
    const noindex = async () => (await db.selectFrom("policy_setting").select("value").where("key", "=", "register.noindex").executeTakeFirst())?.value ?? null;
    const setting = await noindex();
    for (const person of [supervisor, trainer]) {
      expect((await call(loaderOf(adminRegister), person, "/admin/register")).status, `user ${person.id}`).toBe(403);
      expect((await call(actionOf(adminRegister), person, "/admin/register", { form: { noindex: "no" } })).status, `user ${person.id}`).toBe(403);
      expect((await call(loaderOf(adminFailedEmails), person, "/admin/failed-emails")).status, `user ${person.id}`).toBe(403);
      expect((await call(actionOf(adminFailedEmails), person, "/admin/failed-emails", { form: { intent: "dismiss", emailId: String(failedEmailId) } })).status, `user ${person.id}`).toBe(403);
    }
    expect(await noindex()).toBe(setting);
    expect((await db.selectFrom("email_outbox").select("dismissed_at").where("id", "=", failedEmailId).executeTakeFirstOrThrow()).dismissed_at).toBeNull();
    expect((await call(loaderOf(adminRegister), admin, "/admin/register")).status).toBe(200);
    expect((await call(loaderOf(adminFailedEmails), admin, "/admin/failed-emails")).status).toBe(200);
  });

  it("the public routes' loader data hold no concern text, supervisor's note, enquiry or email address", async () => {
    const results = [
      await call(loaderOf(registerIndex), null, "/register?area=gwynedd"),
      await call(loaderOf(registerContact), null, `/register/${listingId}/contact`, { params: { listingId } }),
      await call(loaderOf(verifyConcern), null, `/verify/${certificateId}/concern`, { params: { certificateId } }),
    ];
    for (const result of results) expect(result.status).toBe(200);
    expect(JSON.stringify(results[0]!.data)).toContain("Tara Routetrainer");
    for (const result of results) {
      const text = JSON.stringify(result.data);
      for (const secret of [CONCERN_TEXT, SUMMARY, ENQUIRY, RAISER_EMAIL, trainer.email, otherTrainer.email, "ena.route@case.example", "Sam Supervisor", "@"]) expect(text, secret).not.toContain(secret);
    }
  });
});

describe("revoking from a concern (ADR 0030)", () => {
  it("needs a reason and the 'final' tick; then the certificate is revoked in public and the step is on the timeline", async () => {
    const path = `/admin/concerns/${concernId}`;
    const params = { id: String(concernId) };
    const refused = await call(actionOf(adminConcern), admin, path, { params, form: { intent: "revoke", revokeReason: "short" } });
    expect(refused.status).toBe(400);
    expect(Object.keys((refused.data as { fieldErrors: Record<string, string> }).fieldErrors).sort()).toEqual(["confirmRevoke", "revokeReason"]);
    expect((await getPublicCertificateView(db, certificateId, new Date()))!.status).toBe("valid");
    const revoked = await call(actionOf(adminConcern), admin, path, { params, form: { intent: "revoke", revokeReason: "Serious breach of scope confirmed by the review.", confirmRevoke: "on" } });
    expect(revoked).toMatchObject({ status: 200, data: { done: "Certificate revoked." } });
    const view = await getPublicCertificateView(db, certificateId, new Date());
    expect(view!.status).toBe("revoked");
    expect(JSON.stringify(view)).not.toContain("Serious breach");
    expect((await getConcern(db, concernId))!.timeline.map((e) => e.kind).at(-1)).toBe("revoked");
  });
});
