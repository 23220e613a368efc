import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MarkdownLite, parseMarkdownLite, type ParseWork } from "~/marking/markdown-lite";

const html = (text: string, headingLevel?: number) => renderToStaticMarkup(createElement(MarkdownLite, { text, headingLevel }));

describe("Markdown-lite", () => {
  it("renders headings, paragraphs, bullet and numbered lists, bold and italic", () => {
    const source = "# Progress report\n\n## Goals\n\nShe walked **450 metres** in *9 minutes*.\nSecond line.\n\n- one\n* two\n  continued\n\n3. third\n4. fourth\n\n### Plan";
    expect(html(source)).toBe(
      '<div class="prose"><h2>Progress report</h2><h3>Goals</h3><p>She walked <strong>450 metres</strong> in <em>9 minutes</em>.<br/>Second line.</p><ul><li>one</li><li>two continued</li></ul><ol start="3"><li>third</li><li>fourth</li></ol><h4>Plan</h4></div>',
    );
    expect(html("#### Not a heading")).toBe('<div class="prose"><p>#### Not a heading</p></div>');
    expect(html("# Deep", 6)).toContain("<h6>");
  });

  it("shows raw HTML and script as text: nothing is interpreted", () => {
    const payload = '<script>alert("x")</script>\n\n<img src=x onerror="alert(1)">\n\n**<b>bold</b>** [link](javascript:alert(1))';
    const out = html(payload);
    expect(out).not.toMatch(/<script|<img|<b>|<a /);
    expect(out).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(out).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(out).toContain("<strong>&lt;b&gt;bold&lt;/b&gt;</strong> [link](javascript:alert(1))");
  });

  it("keeps line breaks as the trainer typed them: a report's header lines stay on their own lines", () => {
    const header = "To: Dr A. Consultant\nFrom: Sam Trainer, Approved Trainer\nClient: Ms B\nDate: 29 November 2026\n\nBody text.";
    expect(html(header)).toBe('<div class="prose"><p>To: Dr A. Consultant<br/>From: Sam Trainer, Approved Trainer<br/>Client: Ms B<br/>Date: 29 November 2026</p><p>Body text.</p></div>');
    // A break inside bold is kept too, and nothing else changes.
    expect(html("**two\nlines**")).toBe('<div class="prose"><p><strong>two<br/>lines</strong></p></div>');
  });

  it("keeps the rules for bold and italic on the cases that matter", () => {
    expect(html("**a** and **b**")).toBe('<div class="prose"><p><strong>a</strong> and <strong>b</strong></p></div>');
    expect(html("**bold with *italic* inside**")).toBe('<div class="prose"><p><strong>bold with <em>italic</em> inside</strong></p></div>');
    expect(html("2 * 3 * 4")).toBe('<div class="prose"><p>2 * 3 * 4</p></div>');
    expect(html("** not bold **")).toBe('<div class="prose"><p>** not bold **</p></div>');
    expect(html("*a*b*")).toBe('<div class="prose"><p><em>a</em>b*</p></div>');
    expect(html("x**y**z")).toBe('<div class="prose"><p>x<strong>y</strong>z</p></div>');
    expect(html("****")).toBe('<div class="prose"><p>****</p></div>');
  });

  /**
   * Issue 16.10: a crafted 20,000-word report made the old renderer's backtracking regular
   * expressions take quadratic time (about 1.9 s per open of the marking page). The parser counts
   * its steps; for every worst-case shape, 20,000 words (the submission limit) cost no more than a
   * small constant times the input's length, and doubling the input at most doubles the work.
   * No clock is read.
   */
  const WORDS = 20_000;
  const worstCases: Record<string, (words: number) => string> = {
    "unclosed bold openers": (w) => "**a ".repeat(w),
    "bold openers and one closer at the end": (w) => `${"**a ".repeat(w)}b**`,
    "unclosed italic openers": (w) => "*a ".repeat(w),
    "italic openers with spaces before every star": (w) => "*a *".repeat(w),
    "stars everywhere": (w) => "a* *b ** *".repeat(Math.ceil(w / 3)),
    "nested bold and italic": (w) => "**a *b* c** ".repeat(Math.ceil(w / 4)),
    "long runs of spaces then text (trailing-space trim)": (w) => `${" ".repeat(w * 5)}x`,
    "one line of many hashes": (w) => `${"#".repeat(w * 5)} x`,
    "list markers without content": (w) => "- \n1. \n".repeat(w / 2),
    "digits that never become a list": (w) => `${"1".repeat(w * 5)}x`,
    "a plain 20,000-word report": (w) => Array.from({ length: w }, (_, i) => (i % 12 === 11 ? "word.\n" : "word ")).join(""),
  };
  it.each(Object.entries(worstCases))("renders a worst-case 20,000-word input in linear work: %s", (_name, make) => {
    const measure = (words: number) => {
      const source = make(words);
      const work: ParseWork = { steps: 0 };
      parseMarkdownLite(source, work);
      return { steps: work.steps, length: source.length };
    };
    const full = measure(WORDS);
    const half = measure(WORDS / 2);
    expect(full.length).toBeGreaterThan(20_000);
    // Every character is looked at (the count is real), and none more than a few times.
    expect(full.steps).toBeGreaterThanOrEqual(full.length);
    expect(full.steps).toBeLessThanOrEqual(6 * full.length + 10);
    expect(full.steps).toBeLessThanOrEqual(2.2 * half.steps + 10);
    // And it renders: every character typed is still there.
    expect(html(make(WORDS)).length).toBeGreaterThan(0);
  });

  it("parses without losing text on odd input", () => {
    expect(parseMarkdownLite("")).toEqual([]);
    expect(parseMarkdownLite("**unclosed and *half")).toEqual([{ type: "paragraph", children: [{ type: "text", text: "**unclosed and *half" }] }]);
    expect(parseMarkdownLite("a\r\n\r\nb").length).toBe(2);
  });
});
