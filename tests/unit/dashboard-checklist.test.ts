/**
 * The dashboard's approval checklist for trainers seeded in a real database: the facts come from
 * the real loader, the items from the real eligibility rule, and the checklist is rendered by the
 * dashboard's own component. Each label and detail a trainer reads is checked.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { StaticRouter } from "react-router-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { ApprovalChecklist } from "~/certificates/checklist";
import { evaluateEligibility } from "~/certificates/eligibility";
import { loadTrainerFacts } from "~/certificates/facts.server";
import { currentModuleVersionId, listModules, registerModuleVersions, versionLabel } from "~/content/catalog.server";
import { iso } from "~/utils/clock";
import { addDays, addMonths, dateOf } from "~/utils/dates";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createTestDb, createUser } from "../helpers/db";

let db: DB;
let staffId: number;
const now = new Date("2026-06-01T09:00:00Z");
const today = dateOf(now);

interface RenderedItem {
  key: string;
  status: string;
  label: string;
  detail: string;
  fix: string | null;
}

const decode = (html: string) => html.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** Renders the dashboard checklist for a trainer and reads back what the page shows per item. */
async function renderChecklist(userId: number, on = today): Promise<{ html: string; items: RenderedItem[] }> {
  const eligibility = evaluateEligibility(await loadTrainerFacts(db, userId), on);
  const html = renderToStaticMarkup(createElement(StaticRouter, { location: "/dashboard" }, createElement(ApprovalChecklist, { checklist: eligibility.checklist })));
  const items = [...html.matchAll(/<li class="checklist__item" data-item="([^"]+)">(.*?)<\/li>/g)].map(([, key, body]) => ({
    key: key!,
    status: /<span class="status [^"]+">([^<]*)<\/span>/.exec(body!)![1]!,
    label: decode(/<h3 class="checklist__title">([^<]*)<\/h3>/.exec(body!)![1]!),
    detail: decode(/<\/h3><p>([^<]*)<\/p>/.exec(body!)![1]!),
    // The link to do it: "<what it says> → <where it goes>".
    fix: ((m) => (m ? `${m[2]} → ${m[1]}` : null))(/<a [^>]*href="([^"]+)"[^>]*>([^<]*)<span class="visually-hidden">/.exec(body!)),
  }));
  return { html, items };
}

beforeAll(async () => {
  db = await createTestDb();
  await registerModuleVersions(db, now);
  staffId = (await createUser(db, { role: "assessor" })).id;
});

describe("the dashboard checklist", () => {
  it("for a seeded trainer who has done everything but accept the agreement: each label, what satisfied it, and the one thing to fix", async () => {
    const { userId } = await seedCertifiedTrainer(
      db,
      { name: "Checklist Trainer", email: "checklist@example.test", password: "seeded password 1", staffUserId: staffId, acceptAgreement: false },
      "http://academy.test",
      now,
    );
    const { html, items } = await renderChecklist(userId);
    const modules = await Promise.all(
      listModules().map(async (m) => {
        const versionId = await currentModuleVersionId(db, m.slug, now);
        const { content_hash } = await db.selectFrom("module_version").select("content_hash").where("id", "=", versionId).executeTakeFirstOrThrow();
        return { slug: m.slug, title: m.title, hash: content_hash };
      }),
    );
    expect(modules).toHaveLength(4);
    expect(items).toEqual([
      { key: "qualification", status: "Done", label: "Personal training qualification (Level 3 or above), verified", detail: "Verified: Level 3 Diploma in Personal Training.", fix: null },
      { key: "insurance", status: "Done", label: "Insurance verified, in date and meeting the minimum cover", detail: `Verified, in force until ${addDays(today, 300)}.`, fix: null },
      { key: "dbs", status: "Done", label: "Enhanced DBS check recorded as suitable and not due for re-check", detail: `Suitable; re-check due ${addMonths(addDays(today, -20), 12)}.`, fix: null },
      ...modules.map((m) => ({ key: `module:${m.slug}`, status: "Done", label: `Module assessment passed: ${m.title}`, detail: `Passed 1 June 2026 (version ${versionLabel(m.hash)}).`, fix: null })),
      { key: "report", status: "Done", label: "Report-writing task passed", detail: "Passed 1 June 2026.", fix: null },
      { key: "agreement", status: "To do", label: "Current scope of practice and communication agreement accepted", detail: "You have not accepted the agreement yet.", fix: "Start → /agreement" },
    ]);
    expect(html).toContain("8 of 9 done.");
    expect(html).toContain("Start<span class=\"visually-hidden\">: Current scope of practice and communication agreement accepted</span>");
    expect(html).not.toContain("Fix this");
    expect(modules.every((m) => /^\d{4}\.\d+$/.test(versionLabel(m.hash)))).toBe(true);
  });

  it("for a new trainer: every item to do, each saying what is missing and linking to where to fix it", async () => {
    const trainer = await createUser(db, { role: "trainer", name: "New Trainer" });
    const { html, items } = await renderChecklist(trainer.id);
    expect(items).toEqual([
      { key: "qualification", status: "To do", label: "Personal training qualification (Level 3 or above), verified", detail: "No verified personal training qualification at Level 3 or above.", fix: "Start → /requirements" },
      { key: "insurance", status: "To do", label: "Insurance verified, in date and meeting the minimum cover", detail: "No verified insurance.", fix: "Start → /requirements" },
      { key: "dbs", status: "To do", label: "Enhanced DBS check recorded as suitable and not due for re-check", detail: "No Enhanced DBS check recorded as suitable.", fix: "Start → /requirements" },
      ...listModules().map((m) => ({ key: `module:${m.slug}`, status: "To do", label: `Module assessment passed: ${m.title}`, detail: "The end-of-module assessment has not been passed yet.", fix: `Start → /modules/${m.slug}` })),
      { key: "report", status: "To do", label: "Report-writing task passed", detail: "The report-writing task has not been passed yet.", fix: "Start → /report-task" },
      { key: "agreement", status: "To do", label: "Current scope of practice and communication agreement accepted", detail: "You have not accepted the agreement yet.", fix: "Start → /agreement" },
    ]);
    expect(html).toContain("0 of 9 done.");
  });

  it("a year on, for a certified trainer whose facts have lapsed: each item says in words what lapsed", async () => {
    const { userId } = await seedCertifiedTrainer(
      db,
      { name: "Lapsed Trainer", email: "lapsed@example.test", password: "seeded password 1", staffUserId: staffId, acceptAgreement: false },
      "http://academy.test",
      now,
    );
    // An earlier agreement version accepted; the insurance's cover below the academy's minimum.
    await db.insertInto("agreement_acceptance").values({ user_id: userId, agreement_version: "an-earlier-version", typed_name: "Lapsed Trainer", accepted_at: iso(now) }).execute();
    await db.updateTable("insurance_policy").set({ public_liability_pence: 100, professional_indemnity_pence: 100 }).where("user_id", "=", userId).execute();
    const later = addDays(today, 400); // past the insurance end (day 300), the DBS re-check (about day 345) and a year since the passes
    const { html, items } = await renderChecklist(userId, later);
    expect(items).toEqual([
      { key: "qualification", status: "Done", label: "Personal training qualification (Level 3 or above), verified", detail: "Verified: Level 3 Diploma in Personal Training.", fix: null },
      {
        key: "insurance",
        status: "To do",
        label: "Insurance verified, in date and meeting the minimum cover",
        detail: "The verified insurance has ended. Public liability cover is below the minimum. Professional indemnity cover is below the minimum.",
        fix: "Renew → /requirements",
      },
      { key: "dbs", status: "To do", label: "Enhanced DBS check recorded as suitable and not due for re-check", detail: "The DBS re-check is due.", fix: "Update → /requirements" },
      ...listModules().map((m) => ({
        key: `module:${m.slug}`,
        status: "To do",
        label: `Module assessment passed: ${m.title}`,
        detail: "Passed 1 June 2026: the annual refresher is due; retake the end-of-module assessment.",
        fix: `Retake the assessment → /modules/${m.slug}`,
      })),
      { key: "report", status: "Done", label: "Report-writing task passed", detail: "Passed 1 June 2026.", fix: null },
      { key: "agreement", status: "To do", label: "Current scope of practice and communication agreement accepted", detail: "A new version of the agreement has been published; read and accept it.", fix: "Read and accept → /agreement" },
    ]);
    expect(html).toContain("2 of 9 done.");
  });

  it("for a trainer whose verified insurance starts tomorrow: the insurance item says it has not started", async () => {
    const { userId } = await seedCertifiedTrainer(
      db,
      { name: "Early Trainer", email: "early@example.test", password: "seeded password 1", staffUserId: staffId, acceptAgreement: true },
      "http://academy.test",
      now,
    );
    await db.updateTable("insurance_policy").set({ start_date: addDays(today, 1) }).where("user_id", "=", userId).execute();
    const { items } = await renderChecklist(userId);
    expect(items.filter((i) => i.status === "To do")).toEqual([
      { key: "insurance", status: "To do", label: "Insurance verified, in date and meeting the minimum cover", detail: "The verified insurance has not started yet.", fix: "Renew → /requirements" },
    ]);
    expect(items.find((i) => i.key === "agreement")).toEqual({ key: "agreement", status: "Done", label: "Current scope of practice and communication agreement accepted", detail: "Accepted 1 June 2026.", fix: null });
  });
});
