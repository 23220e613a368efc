import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { RETENTION } from "~/jobs/housekeeping.server";
import { DEFAULT_POLICY } from "~/policy/policy";
import { ERASED_NAME, MARKS_RETENTION_YEARS, NO_LONGER_LISTED } from "~/erasure/policy";
import { ABSOLUTE_LIFETIME_MS, IDLE_TIMEOUT_MS } from "~/auth/session.server";
import { DAY, HOUR } from "~/utils/clock";
import { EXPORT_LIFETIME_DAYS } from "~/data-export/rules";
import { parsePage } from "../../scripts/lib/content/parse";

/** Issue 13 item 14: the footer pages are content, versioned like the rest (ADR 0020). */
const PAGES = ["privacy", "accessibility", "terms", "contact"];
const source = (slug: string) => fs.readFileSync(`content/pages/${slug}/index.mdx`, "utf8");

describe("footer pages", () => {
  it("each page is valid plain Markdown with frontmatter, has a recorded version label and names its sources", () => {
    for (const slug of PAGES) {
      const parsed = parsePage(`content/pages/${slug}/index.mdx`, source(slug));
      expect(parsed.errors, slug).toEqual([]);
      const versions = JSON.parse(fs.readFileSync(`content/pages/${slug}/versions.json`, "utf8")) as { versions: { hash: string }[] } | Record<string, unknown>;
      expect(JSON.stringify(versions), slug).toContain(parsed.version);
      expect(source(slug), slug).toMatch(/\n## Sources\n/);
    }
  });

  it("a page with a component or without frontmatter fails the build with the file and line", () => {
    expect(parsePage("x.mdx", "---\ntitle: A page\nsummary: A page for the test.\nlastReviewed: 2026-12-01\nversionNotes: Test.\n---\n\n<Scenario>hi</Scenario>\n").errors).toEqual([
      "x.mdx:8:1: a page is plain Markdown: no components or code",
    ]);
    expect(parsePage("y.mdx", "# No frontmatter\n").errors).toEqual(["y.mdx:1:1: missing frontmatter"]);
  });

  it("the privacy notice states the retention periods the code enforces", () => {
    const text = source("privacy");
    expect(text).toContain(`erased ${["", "one", "two", "three", "four", "five", "six"][DEFAULT_POLICY.dbsRetentionMonths]} months after the suitability decision`);
    expect(text).toContain(`after ${IDLE_TIMEOUT_MS / HOUR} hours without activity or ${ABSOLUTE_LIFETIME_MS / DAY} days after you sign in`);
    expect(text).toContain(`deleted ${RETENTION.usedOrExpiredLinkMs / DAY} days after they were used or expired`);
    expect(text).toContain(`kept ${RETENTION.sentEmailMs / DAY} days after sending`);
    expect(text).toContain(`deleted ${EXPORT_LIFETIME_DAYS} days after it is ready`);
    expect(text).toContain(`for ${EXPORT_LIFETIME_DAYS} days`);
    expect(RETENTION.throttleMs).toBe(DAY);
    expect(text).toContain("deleted a day after their counting window ends");
    expect(text).toMatch(/Only administrators can see DBS certificate details/);
    expect(text).toMatch(/Information Commissioner's Office \(ICO\)/);
    // Erasure (issue 17 item 4, ADR 0034): the periods and wording the code uses.
    expect(text).toContain(`for ${["", "one", "two", "three", "four", "five", "six"][MARKS_RETENTION_YEARS]} years after the erasure`);
    expect(text).toContain(`reads "${NO_LONGER_LISTED}"`);
    expect(text).toContain(`(replaced by "${ERASED_NAME}")`);
  });

  it("the accessibility statement names WCAG 2.2 AA, how it was tested, known issues and a contact", () => {
    const text = source("accessibility");
    for (const needle of ["WCAG) version 2.2 at level AA", "## How we tested it", "## What we know is not accessible yet", "[contact page](/contact)"]) expect(text).toContain(needle);
  });
});
