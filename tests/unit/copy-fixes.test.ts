/**
 * Issue 13.16, copy a newcomer tripped over: each wording is checked where it is produced (the
 * 404 page's title and text, the question hint, the role-change notice's facts, the demo
 * command's account count). The e2e steps in tests/e2e/newcomer.spec.ts see them in the browser.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { statusPageTitle } from "~/components/error-boundary";
import { promptWithoutHint, QuestionFieldset } from "~/components/question";
import { changeUserRole } from "~/auth/accounts.server";
import { createTestDb, createUser } from "../helpers/db";

describe("copy fixes (issue 13.16)", () => {
  it("a question that ends with 'Select all that apply.' says it once, as the hint", () => {
    const question = {
      id: "q1",
      type: "multiple" as const,
      prompt: ["Which of these are types of abuse? Select all that apply."],
      caseStudy: null,
      options: [
        { id: "a", text: "Financial" },
        { id: "b", text: "Discriminatory" },
      ],
    };
    const html = renderToStaticMarkup(createElement(QuestionFieldset, { question, name: "q1" }));
    expect(html.match(/Select all that apply/g)).toHaveLength(1);
    expect(html).toContain("Which of these are types of abuse?</span>");
    expect(promptWithoutHint({ prompt: ["Case.", "Which is right? Choose one answer."] })).toEqual(["Case.", "Which is right?"]);
    // A prompt that does not end with the hint is left alone.
    expect(promptWithoutHint({ prompt: ["Select all that apply to the case below: which are risks?"] })).toEqual(["Select all that apply to the case below: which are risks?"]);
  });

  it("the 404 page's tab title says what happened", () => {
    expect(statusPageTitle(404)).toBe("Page not found · Approved Trainer Academy");
  });

  it("a role change returns the user's name, so the notice can name them", async () => {
    const db = await createTestDb();
    const admin = await createUser(db, { role: "admin" });
    const user = await createUser(db, { role: "trainer", name: "Ada Example" });
    expect(await changeUserRole(db, admin.id, user.id, "assessor", new Date())).toEqual({ ok: true, value: { name: "Ada Example", changed: true } });
    expect(await changeUserRole(db, admin.id, user.id, "assessor", new Date())).toEqual({ ok: true, value: { name: "Ada Example", changed: false } });
    await db.destroy();
  });

  it("npm run demo counts every account it prints, the certified trainer included", () => {
    const dir = fs.mkdtempSync(path.resolve("tests/.tmp/demo-"));
    // Always SQLite in a folder of its own: the demo script is what `npm run demo` runs before starting the site.
    const env = { ...process.env, DATABASE_URL: "", DATABASE_PATH: path.join(dir, "demo.sqlite"), EVIDENCE_DIR: path.join(dir, "evidence"), PUBLIC_BASE_URL: "http://127.0.0.1:3999" };
    const run = () => execFileSync(path.resolve("node_modules/.bin/tsx"), ["scripts/demo.ts"], { env, encoding: "utf8" });
    const first = run();
    expect(first).toContain("Demo accounts: 4 of 4 created now. FOR DEMONSTRATION ONLY:");
    expect(first.match(/@demo\.academy\.invalid/g)).toHaveLength(4);
    expect(run()).toContain("Demo accounts: 0 of 4 created now, 4 already existed.");
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
