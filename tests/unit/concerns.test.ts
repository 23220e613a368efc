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
import { CONCERNS_PER_EMAIL_PER_HOUR, CONCERNS_PER_IP_PER_HOUR, closeConcern, confirmConcern, getConcern, listConcerns, raiseConcern, recordConcernStep, triageConcern } from "~/concerns/concerns.server";
import { concernSchema, type ConcernInput } from "~/concerns/validation";
import { DAY, HOUR, addMs } from "~/utils/clock";
import { validate } from "~/utils/forms";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createTestDb, createUser } from "../helpers/db";

const BASE = "http://academy.test";
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
    expect(await raiseConcern(db, certificateId, input({ email: "limit@case.example" }), "198.51.100.200", BASE, now)).toMatchObject({ ok: false, status: 429 });
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
