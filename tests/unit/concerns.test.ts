/**
 * Concerns (issue 12 item 2, ADR 0030): raised unconfirmed, confirmed once through the emailed
 * link (which expires), then triaged, noted and closed, each step on the timeline and audited;
 * rate-limited per client address and per email address; nothing of a concern in the public
 * verification view.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { registerModuleVersions } from "~/content/catalog.server";
import { getPublicCertificateView } from "~/certificates/public.server";
import { CONCERNS_PER_EMAIL_PER_HOUR, CONCERNS_PER_IP_PER_HOUR, closeConcern, concernsAboutTrainer, confirmConcern, getConcern, raiseConcern, raiseConcernAsStaff, recordConcernStep, triageConcern } from "~/concerns/concerns.server";
import { listConcernsPage, parseConcernListQuery, type ConcernListQuery } from "~/concerns/list.server";
import { DEFAULT_POLICY } from "~/policy/policy";
import { updatePolicy } from "~/policy/policy.server";
import { encodeCursor } from "~/utils/pagination";
import { concernSchema, staffConcernSchema, type ConcernInput } from "~/concerns/validation";
import { DAY, HOUR, addMs } from "~/utils/clock";
import { validate } from "~/utils/forms";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createTestDb, createUser } from "../helpers/db";

const BASE = "http://academy.test";
const listConcerns = async (db: DB, filter: { status: "open" | "closed" }) => (await listConcernsPage(db, { state: filter.status, category: "any", page: { cursor: null, limit: 100 } })).items;
const now = new Date("2026-06-01T09:00:00Z");
let db: DB;
let adminId: number;
let assessorId: number;
let certificateId: string;
let ipCount = 0;

const input = (overrides: Partial<ConcernInput> = {}): ConcernInput => ({
  name: "Casey Manager",
  organisation: "Acme Case Management",
  email: "casey@case.example",
  relationship: "case_manager",
  category: "scope_of_practice",
  whatHappened: "The trainer gave dietary and medication advice to my client, outside their scope.",
  when: "Last Tuesday",
  ...overrides,
});

/** Raises a concern from a fresh address and returns its id and the secret from the emailed link. */
async function raise(overrides: Partial<ConcernInput> = {}, when = now) {
  ipCount += 1;
  const result = await raiseConcern(db, certificateId, input(overrides), `192.0.2.${ipCount}`, BASE, when);
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  const email = await db.selectFrom("email_outbox").select("body_text").orderBy("id", "desc").executeTakeFirstOrThrow();
  const secret = /\/concerns\/confirm\/([a-z2-7]+)/.exec(email.body_text)![1]!;
  return { id: result.value.id, secret };
}

beforeAll(async () => {
  db = await createTestDb();
  await registerModuleVersions(db, now);
  assessorId = (await createUser(db, { role: "assessor", name: "Harriet Handler" })).id;
  adminId = (await createUser(db, { role: "admin" })).id;
  certificateId = (await seedCertifiedTrainer(db, { name: "Concerned About", email: "trainer.concern@example.test", password: "seeded password 1", staffUserId: assessorId }, BASE, now)).certificateId;
});

describe("concern state transitions", () => {
  it("raised → confirmed (reference) → triaged → note → closed, each step on the timeline and audited", async () => {
    const { id, secret } = await raise({ email: "flow@case.example" });
    expect(await getConcern(db, id)).toBeNull();
    expect((await listConcerns(db, { status: "open" })).map((c) => c.id)).not.toContain(id);
    const confirmed = await confirmConcern(db, secret, addMs(now, HOUR));
    expect(confirmed).toMatchObject({ ok: true, value: { reference: expect.stringMatching(/^C-[A-Z2-7]{8}$/) } });
    expect(await confirmConcern(db, secret, addMs(now, HOUR))).toMatchObject({ ok: false, status: 404 });
    expect((await listConcerns(db, { status: "open" })).map((c) => c.id)).toContain(id);
    expect(await triageConcern(db, adminId, id, { severity: "high", handlerId: assessorId }, now)).toEqual({ ok: true, value: null });
    expect((await recordConcernStep(db, adminId, id, "note", "Spoke to the trainer; supervision action agreed.", now)).ok).toBe(true);
    expect((await closeConcern(db, adminId, id, "Advice given and supervision action completed.", now)).ok).toBe(true);
    expect(await recordConcernStep(db, adminId, id, "note", "Too late", now)).toMatchObject({ ok: false, status: 409 });
    expect(await triageConcern(db, adminId, id, { severity: "low", handlerId: assessorId }, now)).toMatchObject({ ok: false, status: 409 });
    const concern = await getConcern(db, id);
    expect(concern).toMatchObject({ status: "closed", severity: "high", handlerName: "Harriet Handler", outcome: "Advice given and supervision action completed.", closed_at: now.toISOString() });
    expect(concern!.timeline.map((e) => e.kind)).toEqual(["raised", "confirmed", "triaged", "note", "closed"]);
    const audit = await db.selectFrom("audit_event").select("action").where("subject_type", "=", "concern").where("subject_id", "=", String(id)).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["concern.raised", "concern.triaged", "concern.note", "concern.closed"]);
  });

  it("a confirmation link expires after 24 hours, and a wrong link confirms nothing", async () => {
    const { id, secret } = await raise({ email: "late@case.example" });
    expect(await confirmConcern(db, secret, addMs(now, DAY + 1000))).toMatchObject({ ok: false, status: 409 });
    expect(await confirmConcern(db, "a".repeat(32), now)).toMatchObject({ ok: false, status: 404 });
    expect(await confirmConcern(db, "not a token", now)).toMatchObject({ ok: false, status: 404 });
    expect(await getConcern(db, id)).toBeNull();
  });

  it("only an assessor or admin can handle a concern; an unconfirmed concern cannot be triaged", async () => {
    const trainer = await createUser(db, { role: "trainer" });
    const { id, secret } = await raise({ email: "handler@case.example" });
    expect(await triageConcern(db, adminId, id, { severity: "low", handlerId: assessorId }, now)).toMatchObject({ ok: false, status: 404 });
    await confirmConcern(db, secret, now);
    expect(await triageConcern(db, adminId, id, { severity: "low", handlerId: trainer.id }, now)).toMatchObject({ ok: false, status: 400, fieldErrors: { handlerId: expect.any(String) } });
  });
});

describe("concern limits and privacy", () => {
  it("at most 3 concerns per email address and 5 per client address an hour", async () => {
    for (let i = 0; i < CONCERNS_PER_EMAIL_PER_HOUR; i += 1) await raise({ email: "limit@case.example" });
    expect(await raiseConcern(db, certificateId, input({ email: "limit@case.example" }), "198.51.100.200", BASE, now)).toMatchObject({ ok: false, status: 429, retryAfterMs: HOUR });
    for (let i = 0; i < CONCERNS_PER_IP_PER_HOUR; i += 1) expect((await raiseConcern(db, certificateId, input({ email: `ip${i}@case.example` }), "198.51.100.201", BASE, now)).ok).toBe(true);
    expect(await raiseConcern(db, certificateId, input({ email: "ip-next@case.example" }), "198.51.100.201", BASE, now)).toMatchObject({ ok: false, status: 429 });
    expect((await raiseConcern(db, certificateId, input({ email: "ip-next@case.example" }), "198.51.100.201", BASE, addMs(now, HOUR + 1000))).ok).toBe(true);
  });

  it("the public verification view carries nothing of a concern", async () => {
    const text = "A distinctive concern text that must never be public.";
    const { secret } = await raise({ email: "private@case.example", whatHappened: text });
    await confirmConcern(db, secret, now);
    const view = JSON.stringify(await getPublicCertificateView(db, certificateId, now));
    for (const secretText of [text, "private@case.example", "Casey Manager", "C-"]) expect(view).not.toContain(secretText);
  });

  it("the form needs every field but the organisation, from the fixed lists", () => {
    expect(validate(concernSchema, { ...input(), email: " Casey@Case.Example " })).toMatchObject({ ok: true, value: { email: "casey@case.example" } });
    const refused = validate(concernSchema, { name: "", email: "x", relationship: "friend", category: "gossip", whatHappened: "short", when: "" });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(Object.keys(refused.fieldErrors).sort()).toEqual(["category", "email", "name", "relationship", "whatHappened", "when"]);
  });
});

describe("telling the trainer (issue 12: that a concern exists and its outcome, not who raised it)", () => {
  it("on confirmation the trainer and the admins are notified; the trainer's notice and dashboard list hold nothing of the raiser or their words", async () => {
    const { id, secret } = await raise({ email: "told@case.example", name: "Tobias Raiser", organisation: "Raiser & Co" });
    expect((await confirmConcern(db, secret, addMs(now, HOUR))).ok).toBe(true);
    const cert = await db.selectFrom("certificate").select("user_id").where("id", "=", certificateId).executeTakeFirstOrThrow();
    const notices = await db.selectFrom("notification").selectAll().where("kind", "in", ["concern_about_you", "concern_raised"]).orderBy("id").execute();
    expect(notices.some((n) => n.kind === "concern_raised" && n.user_id === adminId)).toBe(true);
    const toTrainer = notices.filter((n) => n.kind === "concern_about_you" && n.user_id === cert.user_id);
    expect(toTrainer.length).toBeGreaterThan(0);
    const emails = await db.selectFrom("email_outbox").select(["to_address", "body_text"]).where("subject", "=", "A concern has been raised about your practice").execute();
    expect(emails.length).toBeGreaterThan(0);
    for (const text of [...toTrainer.map((n) => `${n.title} ${n.body}`), ...emails.map((e) => e.body_text)]) {
      for (const secretBit of ["Tobias Raiser", "Raiser & Co", "told@case.example", input().whatHappened]) expect(text).not.toContain(secretBit);
    }
    const listed = await concernsAboutTrainer(db, cert.user_id);
    expect(listed[0]).toMatchObject({ category: "scope of practice", status: "open", outcome: null });
    expect(JSON.stringify(listed)).not.toContain("Tobias");
    expect((await closeConcern(db, adminId, id, "Advice given about scope; no further action.", addMs(now, 2 * HOUR))).ok).toBe(true);
    expect((await concernsAboutTrainer(db, cert.user_id))[0]).toMatchObject({ status: "closed", outcome: "Advice given about scope; no further action." });
    const closed = await db.selectFrom("notification").select("body").where("user_id", "=", cert.user_id).where("title", "=", "The concern about your practice has been closed").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(closed.body).toContain("Advice given about scope");
  });
});

describe("staff raise concerns (issue 12: staff can also raise concerns)", () => {
  it("an assessor's concern opens at once without email confirmation, is audited under their name, reaches the admins' triage and tells the trainer", async () => {
    const assessor = await db.selectFrom("user").select(["id", "name", "email"]).where("id", "=", assessorId).executeTakeFirstOrThrow();
    const cert = await db.selectFrom("certificate").select("user_id").where("id", "=", certificateId).executeTakeFirstOrThrow();
    const emailsBefore = await db.selectFrom("email_outbox").select((eb) => eb.fn.countAll<number>().as("n")).where("to_address", "=", assessor.email).executeTakeFirstOrThrow();
    const raised = await raiseConcernAsStaff(db, assessor, cert.user_id, { category: "conduct", whatHappened: "Arrived late and spoke rudely to the client's family twice.", when: "This month" }, now);
    if (!raised.ok) throw new Error(raised.message ?? "refused");
    expect(raised.value.reference).toMatch(/^C-[A-Z2-7]{8}$/);
    const concern = await getConcern(db, raised.value.id);
    expect(concern).toMatchObject({ status: "open", raised_by_user_id: assessorId, raiser_name: "Harriet Handler", relationship: "academy_staff", confirmed_at: now.toISOString(), certificate_id: certificateId });
    expect(concern!.timeline.map((e) => [e.kind, e.actor_user_id])).toEqual([["raised_by_staff", assessorId]]);
    const audit = await db.selectFrom("audit_event").select(["action", "actor_user_id", "details"]).where("subject_type", "=", "concern").where("subject_id", "=", String(raised.value.id)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "concern.raised", actor_user_id: assessorId });
    expect(audit[0]!.details).not.toContain("rudely");
    expect((await listConcerns(db, { status: "open" })).find((c) => c.id === raised.value.id)).toMatchObject({ raisedByStaff: true, category: "conduct" });
    const notices = await db.selectFrom("notification").select(["user_id", "kind", "link"]).where("link", "=", `/admin/concerns/${raised.value.id}`).execute();
    expect(notices.map((n) => n.user_id)).toContain(adminId);
    const toTrainer = await db.selectFrom("notification").select("body").where("user_id", "=", cert.user_id).where("kind", "=", "concern_about_you").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(toTrainer.body).toContain("(conduct)");
    expect(toTrainer.body).not.toContain("Harriet");
    const emailsAfter = await db.selectFrom("email_outbox").select((eb) => eb.fn.countAll<number>().as("n")).where("to_address", "=", assessor.email).executeTakeFirstOrThrow();
    expect(Number(emailsAfter.n)).toBe(Number(emailsBefore.n));
  });

  it("an admin who raises one is not told of their own concern; a trainer with no certificate cannot be the subject; the form needs category, what happened and when", async () => {
    const admin = await db.selectFrom("user").select(["id", "name", "email"]).where("id", "=", adminId).executeTakeFirstOrThrow();
    const cert = await db.selectFrom("certificate").select("user_id").where("id", "=", certificateId).executeTakeFirstOrThrow();
    const raised = await raiseConcernAsStaff(db, admin, cert.user_id, { category: "other", whatHappened: "A commissioner telephoned with a worry about record keeping.", when: "Yesterday" }, now);
    if (!raised.ok) throw new Error("refused");
    expect(await db.selectFrom("notification").select("id").where("user_id", "=", adminId).where("link", "=", `/admin/concerns/${raised.value.id}`).execute()).toEqual([]);
    const uncertified = await createUser(db, { role: "trainer" });
    expect(await raiseConcernAsStaff(db, admin, uncertified.id, { category: "other", whatHappened: "Not about a certified trainer at all.", when: "Now" }, now)).toMatchObject({ ok: false, status: 409 });
    const refused = validate(staffConcernSchema, { category: "gossip", whatHappened: "short" });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(Object.keys(refused.fieldErrors).sort()).toEqual(["category", "whatHappened", "when"]);
  });
});

describe("the admins' concerns list (keyset pages, by state and category)", () => {
  const query = (over: Partial<ConcernListQuery> = {}): ConcernListQuery => ({ state: "all", category: "any", page: { cursor: null, limit: 2 }, ...over });

  it("walks every confirmed concern newest first, two a page, forwards and back, never an unconfirmed one", async () => {
    await raise({ email: "never-confirmed@case.example" });
    const expected = (await db.selectFrom("concern").select("id").where("status", "!=", "unconfirmed").orderBy("id", "desc").execute()).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(4);
    const seen: number[] = [];
    let page = await listConcernsPage(db, query());
    expect(page).toMatchObject({ total: expected.length, offset: 0, prev: null });
    for (;;) {
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.id));
      if (!page.next) break;
      const next = page.next;
      page = await listConcernsPage(db, query({ page: { cursor: { direction: "after", key: JSON.parse(Buffer.from(next, "base64url").toString()) }, limit: 2 } }));
    }
    expect(seen).toEqual(expected);
    const second = await listConcernsPage(db, query({ page: { cursor: { direction: "after", key: [expected[1]!, expected[1]!] }, limit: 2 } }));
    expect(second.offset).toBe(2);
    const back = await listConcernsPage(db, query({ page: { cursor: { direction: "before", key: [expected[2]!, expected[2]!] }, limit: 2 } }));
    expect(back.items.map((c) => c.id)).toEqual(expected.slice(0, 2));
  });

  it("filters by state and by category; the address falls back to open concerns of any category", async () => {
    const closed = await listConcernsPage(db, query({ state: "closed", page: { cursor: null, limit: 100 } }));
    expect(closed.items.length).toBeGreaterThan(0);
    expect(closed.items.every((c) => c.status === "closed")).toBe(true);
    const open = await listConcernsPage(db, query({ state: "open", page: { cursor: null, limit: 100 } }));
    expect(open.items.every((c) => c.status === "open")).toBe(true);
    expect(open.total + closed.total).toBe((await listConcernsPage(db, query())).total);
    const conduct = await listConcernsPage(db, query({ category: "conduct", page: { cursor: null, limit: 100 } }));
    expect(conduct.items.length).toBeGreaterThan(0);
    expect(conduct.items.every((c) => c.category === "conduct")).toBe(true);
    expect(conduct.total).toBe(conduct.items.length);
    expect(parseConcernListQuery(new URLSearchParams("state=closed&category=safeguarding&limit=10"))).toMatchObject({ state: "closed", category: "safeguarding", page: { limit: 10, cursor: null } });
    expect(parseConcernListQuery(new URLSearchParams(`state=deleted&category=gossip&after=${encodeCursor(["x", 1])}`))).toEqual({ state: "open", category: "any", page: { cursor: null, limit: 50 } });
  });
});

describe("who raised it is shared with the trainer only when policy says so (ADR 0030)", () => {
  it("off by default; with the policy on, the trainer's notice and dashboard name the raiser and organisation, never their email or words", async () => {
    const cert = await db.selectFrom("certificate").select("user_id").where("id", "=", certificateId).executeTakeFirstOrThrow();
    expect((await concernsAboutTrainer(db, cert.user_id)).every((c) => c.raisedBy === null)).toBe(true);
    await updatePolicy(db, adminId, { ...DEFAULT_POLICY, concernRaiserSharedWithTrainer: 1 }, now);
    try {
      const { secret } = await raise({ email: "shared@case.example", name: "Olive Open", organisation: "Open Solicitors", relationship: "solicitor" });
      expect((await confirmConcern(db, secret, now)).ok).toBe(true);
      const told = await db.selectFrom("notification").select("body").where("user_id", "=", cert.user_id).where("kind", "=", "concern_about_you").orderBy("id", "desc").executeTakeFirstOrThrow();
      expect(told.body).toContain("It was raised by Olive Open, Open Solicitors (solicitor).");
      expect(told.body).not.toContain("shared@case.example");
      expect(told.body).not.toContain(input().whatHappened);
      const listed = await concernsAboutTrainer(db, cert.user_id);
      expect(listed[0]!.raisedBy).toBe("Olive Open, Open Solicitors (solicitor)");
      expect(JSON.stringify(listed)).not.toContain("shared@case.example");
    } finally {
      await updatePolicy(db, adminId, DEFAULT_POLICY, now);
    }
    expect((await concernsAboutTrainer(db, cert.user_id)).every((c) => c.raisedBy === null)).toBe(true);
  });
});
