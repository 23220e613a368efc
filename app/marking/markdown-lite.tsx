import { Fragment, createElement, type ReactNode } from "react";

/**
 * Markdown-lite: the small subset trainers and authors write (#/##/### headings, paragraphs,
 * "-"/"*" bullet lists, "1." numbered lists, **bold**, *italic*), parsed into a tree and drawn as
 * React elements. Every piece of text reaches the page as a React text node, so React escapes it:
 * raw HTML (`<script>`, `<img onerror>`) shows as the characters typed. There is no
 * dangerouslySetInnerHTML and no link or image syntax, so nothing can load or run.
 *
 * Line breaks inside a paragraph are kept as typed (a report's "To:", "From:", "Client:" header
 * lines stay on their own lines).
 *
 * Linear time (issue 16.10): the parser is a hand-written scanner with no regular expression
 * that can backtrack. Blocks are read line by line; inside a block each character is looked at
 * a bounded number of times: the closing `**` for an opening one is found with a pointer into a
 * precomputed list of closers that only moves forward, and the closing `*` of an italic with a
 * precomputed "next star" table. When no closer is left, no later `**` can close either, so the
 * search stops. `parseMarkdownLite(text, work)` counts the steps, and a test holds them under a
 * small multiple of the input's length for worst-case inputs.
 */

export type Inline = { type: "text"; text: string } | { type: "strong"; children: Inline[] } | { type: "em"; children: Inline[] };
export type Block =
  | { type: "heading"; depth: 1 | 2 | 3; children: Inline[] }
  | { type: "paragraph"; children: Inline[] }
  | { type: "list"; ordered: boolean; start: number; items: Inline[][] };

/** Steps taken by the parser: every character visit and every block or inline node made. */
export interface ParseWork {
  steps: number;
}

const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v" || c === "\u00a0";

export function parseInline(text: string, work: ParseWork = { steps: 0 }): Inline[] {
  const n = text.length;
  // nextStar[i]: the first '*' at or after i (n when none); strongClosers: every "**" that can
  // close bold (not preceded by a space), left to right.
  const nextStar = new Int32Array(n + 1);
  nextStar[n] = n;
  for (let i = n - 1; i >= 0; i -= 1) {
    nextStar[i] = text[i] === "*" ? i : nextStar[i + 1]!;
    work.steps += 1;
  }
  const strongClosers: number[] = [];
  for (let p = 1; p + 1 < n; p += 1) {
    if (text[p] === "*" && text[p + 1] === "*" && !isSpace(text[p - 1])) strongClosers.push(p);
    work.steps += 1;
  }
  let closer = 0;

  const out: Inline[] = [];
  let textStart = 0;
  const flushText = (end: number) => {
    if (end > textStart) out.push({ type: "text", text: text.slice(textStart, end) });
  };
  let i = nextStar[0]!;
  while (i < n) {
    work.steps += 1;
    // **bold**: opened by "**" and a non-space, closed by the nearest "**" after a non-space.
    if (text[i + 1] === "*" && i + 2 < n && !isSpace(text[i + 2])) {
      while (closer < strongClosers.length && strongClosers[closer]! < i + 3) {
        closer += 1;
        work.steps += 1;
      }
      if (closer < strongClosers.length) {
        const end = strongClosers[closer]!;
        flushText(i);
        out.push({ type: "strong", children: parseInline(text.slice(i + 2, end), work) });
        i = end + 2;
        textStart = i;
        i = i < n ? nextStar[i]! : n;
        continue;
      }
    }
    // *italic*: opened by "*" and a character that is neither a space nor "*", closed by the next
    // "*" when the character before it is not a space; no "*" inside.
    const first = text[i + 1];
    if (first !== undefined && first !== "*" && !isSpace(first)) {
      const end = nextStar[i + 1]!;
      if (end < n && !isSpace(text[end - 1])) {
        flushText(i);
        out.push({ type: "em", children: [{ type: "text", text: text.slice(i + 1, end) }] });
        i = end + 1;
        textStart = i;
        i = i < n ? nextStar[i]! : n;
        continue;
      }
    }
    i = i + 1 < n ? nextStar[i + 1]! : n;
  }
  flushText(n);
  return out;
}

/** A heading line: one to three '#' and a space. */
function headingOf(line: string): { depth: 1 | 2 | 3; text: string } | null {
  let hashes = 0;
  while (hashes < line.length && line[hashes] === "#") hashes += 1;
  if (hashes < 1 || hashes > 3 || !isSpace(line[hashes])) return null;
  return { depth: hashes as 1 | 2 | 3, text: line.slice(hashes).trim() };
}

/** A list item line: up to three spaces, then "-"/"*" or up to nine digits and "."/")", then a space. */
function listItemOf(line: string): { ordered: boolean; start: number; text: string } | null {
  let i = 0;
  while (i < 3 && line[i] === " ") i += 1;
  const c = line[i];
  if (c === "-" || c === "*") {
    if (!isSpace(line[i + 1])) return null;
    return { ordered: false, start: 1, text: line.slice(i + 1).trim() };
  }
  let j = i;
  while (j - i < 9 && j < line.length && line[j]! >= "0" && line[j]! <= "9") j += 1;
  if (j === i || (line[j] !== "." && line[j] !== ")") || !isSpace(line[j + 1])) return null;
  return { ordered: true, start: Number(line.slice(i, j)), text: line.slice(j + 1).trim() };
}

export function parseMarkdownLite(source: string, work: ParseWork = { steps: 0 }): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; start: number; items: string[] } | null = null;
  const flushParagraph = () => {
    if (paragraph.length > 0) blocks.push({ type: "paragraph", children: parseInline(paragraph.join("\n"), work) });
    paragraph = [];
  };
  const flushList = () => {
    if (list) blocks.push({ type: "list", ordered: list.ordered, start: list.start, items: list.items.map((item) => parseInline(item, work)) });
    list = null;
  };
  for (const rawLine of source.replace(/\r\n?/g, "\n").split("\n")) {
    work.steps += 1 + rawLine.length;
    const line = rawLine.trimEnd();
    if (line.trim() === "") {
      flushParagraph();
      flushList();
      continue;
    }
    const heading = headingOf(line);
    if (heading) {
      flushParagraph();
      flushList();
      blocks.push({ type: "heading", depth: heading.depth, children: parseInline(heading.text, work) });
      continue;
    }
    const item = listItemOf(line);
    if (item) {
      flushParagraph();
      const current = list as { ordered: boolean; start: number; items: string[] } | null;
      if (!current || current.ordered !== item.ordered) {
        flushList();
        list = { ordered: item.ordered, start: item.start, items: [] };
      }
      list!.items.push(item.text);
      continue;
    }
    const openList = list as { items: string[] } | null;
    if (openList && isSpace(rawLine[0])) {
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

/** Text nodes, with each line break typed inside a paragraph drawn as a <br>. */
function renderText(text: string, key: number): ReactNode {
  if (!text.includes("\n")) return text;
  const parts: ReactNode[] = [];
  text.split("\n").forEach((line, index) => {
    if (index > 0) parts.push(createElement("br", { key: `br${index}` }));
    if (line) parts.push(line);
  });
  return createElement(Fragment, { key }, ...parts);
}

function renderInline(nodes: Inline[]): ReactNode[] {
  return nodes.map((node, index) => {
    if (node.type === "text") return renderText(node.text, index);
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
