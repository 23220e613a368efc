import { createElement, type ReactNode } from "react";

/**
 * Markdown-lite: the small subset trainers and authors write (#/##/### headings, paragraphs,
 * "-"/"*" bullet lists, "1." numbered lists, **bold**, *italic*), parsed into a tree and drawn as
 * React elements. Every piece of text reaches the page as a React text node, so React escapes it:
 * raw HTML (`<script>`, `<img onerror>`) shows as the characters typed. There is no
 * dangerouslySetInnerHTML and no link or image syntax, so nothing can load or run.
 */

export type Inline = { type: "text"; text: string } | { type: "strong"; children: Inline[] } | { type: "em"; children: Inline[] };
export type Block =
  | { type: "heading"; depth: 1 | 2 | 3; children: Inline[] }
  | { type: "paragraph"; children: Inline[] }
  | { type: "list"; ordered: boolean; start: number; items: Inline[][] };

const HEADING = /^(#{1,3})\s+(.*)$/;
const BULLET = /^\s{0,3}[-*]\s+(.*)$/;
const NUMBERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  const pattern = /\*\*(?=\S)([\s\S]*?\S)\*\*|\*(?=[^\s*])([^*]*?[^\s*])\*/g;
  let last = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match.index > last) out.push({ type: "text", text: text.slice(last, match.index) });
    if (match[1] !== undefined) out.push({ type: "strong", children: parseInline(match[1]) });
    else out.push({ type: "em", children: [{ type: "text", text: match[2]! }] });
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push({ type: "text", text: text.slice(last) });
  return out;
}

export function parseMarkdownLite(source: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; start: number; items: string[] } | null = null;
  const flushParagraph = () => {
    if (paragraph.length > 0) blocks.push({ type: "paragraph", children: parseInline(paragraph.join(" ")) });
    paragraph = [];
  };
  const flushList = () => {
    if (list) blocks.push({ type: "list", ordered: list.ordered, start: list.start, items: list.items.map(parseInline) });
    list = null;
  };
  for (const rawLine of source.replace(/\r\n?/g, "\n").split("\n")) {
    const line = rawLine.replace(/\s+$/, "");
    if (line.trim() === "") {
      flushParagraph();
      flushList();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flushParagraph();
      flushList();
      blocks.push({ type: "heading", depth: heading[1]!.length as 1 | 2 | 3, children: parseInline(heading[2]!.trim()) });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      flushParagraph();
      const ordered = numbered !== null;
      const current = list as { ordered: boolean; start: number; items: string[] } | null;
      if (!current || current.ordered !== ordered) {
        flushList();
        list = { ordered, start: numbered ? Number(numbered[1]) : 1, items: [] };
      }
      list!.items.push((bullet ? bullet[1]! : numbered![2]!).trim());
      continue;
    }
    const openList = list as { items: string[] } | null;
    if (openList && /^\s+/.test(rawLine)) {
      // An indented line continues the previous list item.
      openList.items[openList.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    flushList();
    paragraph.push(line.trim());
  }
  flushParagraph();
  flushList();
  return blocks;
}

function renderInline(nodes: Inline[]): ReactNode[] {
  return nodes.map((node, index) => {
    if (node.type === "text") return node.text;
    return createElement(node.type, { key: index }, ...renderInline(node.children));
  });
}

/**
 * Renders Markdown-lite. `headingLevel` is the HTML level a `#` heading gets (so a report shown
 * under the page's own h2 starts at h3); deeper headings follow, never beyond h6.
 */
export function MarkdownLite({ text, headingLevel = 2, className = "prose" }: { text: string; headingLevel?: number; className?: string }) {
  const blocks = parseMarkdownLite(text);
  return (
    <div className={className}>
      {blocks.map((block, index) => {
        if (block.type === "heading") return createElement(`h${Math.min(6, headingLevel + block.depth - 1)}`, { key: index }, ...renderInline(block.children));
        if (block.type === "paragraph") return <p key={index}>{renderInline(block.children)}</p>;
        const items = block.items.map((item, i) => <li key={i}>{renderInline(item)}</li>);
        return block.ordered ? (
          <ol key={index} start={block.start === 1 ? undefined : block.start}>
            {items}
          </ol>
        ) : (
          <ul key={index}>{items}</ul>
        );
      })}
    </div>
  );
}
