import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MarkdownLite, parseMarkdownLite } from "~/marking/markdown-lite";

const html = (text: string, headingLevel?: number) => renderToStaticMarkup(createElement(MarkdownLite, { text, headingLevel }));

describe("Markdown-lite", () => {
  it("renders headings, paragraphs, bullet and numbered lists, bold and italic", () => {
    const source = "# Progress report\n\n## Goals\n\nShe walked **450 metres** in *9 minutes*.\nSecond line.\n\n- one\n* two\n  continued\n\n3. third\n4. fourth\n\n### Plan";
    expect(html(source)).toBe(
      '<div class="prose"><h2>Progress report</h2><h3>Goals</h3><p>She walked <strong>450 metres</strong> in <em>9 minutes</em>. Second line.</p><ul><li>one</li><li>two continued</li></ul><ol start="3"><li>third</li><li>fourth</li></ol><h4>Plan</h4></div>',
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

  it("parses without losing text on odd input", () => {
    expect(parseMarkdownLite("")).toEqual([]);
    expect(parseMarkdownLite("**unclosed and *half")).toEqual([{ type: "paragraph", children: [{ type: "text", text: "**unclosed and *half" }] }]);
    expect(parseMarkdownLite("a\r\n\r\nb").length).toBe(2);
  });
});
