import { useEffect, useRef, useState } from "react";
import { MarkdownLite } from "./markdown-lite";
import { MAX_REPORT_WORDS, countWords } from "./rules";
import { formatTimeOfDay } from "~/utils/dates";

type SaveState = { kind: "idle" } | { kind: "saving" } | { kind: "saved"; at: string } | { kind: "error"; message: string };
interface Backup {
  body: string;
  /** The server draft's saved_at this text was based on (null: no server draft). */
  base: string | null;
}

const timeOf = formatTimeOfDay;

/**
 * The report editor: a plain textarea with a live word count, autosave to the server a moment
 * after typing stops, a copy in this browser's localStorage (so a lost connection or a closed
 * tab loses nothing), and a safe preview. The textarea is part of the surrounding submit form.
 */
export function ReportEditor({ storageKey, initialBody, savedAt, error }: { storageKey: string; initialBody: string; savedAt: string | null; error?: string }) {
  const [body, setBody] = useState(initialBody);
  const [save, setSave] = useState<SaveState>(savedAt ? { kind: "saved", at: savedAt } : { kind: "idle" });
  const [restored, setRestored] = useState(false);
  const [preview, setPreview] = useState(false);
  const base = useRef<string | null>(savedAt);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(body);

  const writeBackup = (text: string) => {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify({ body: text, base: base.current } satisfies Backup));
    } catch {
      // Storage full or disabled: the server copy still works.
    }
  };

  const saveNow = async (text: string) => {
    setSave({ kind: "saving" });
    try {
      const response = await fetch("/report-task/draft", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" },
        body: new URLSearchParams({ body: text }),
        credentials: "same-origin",
      });
      const result = (await response.json()) as { ok: true; savedAt: string } | { ok: false; error: string };
      if (!result.ok) {
        setSave({ kind: "error", message: `Not saved: ${result.error}` });
        return;
      }
      base.current = result.savedAt;
      if (latest.current === text) {
        window.localStorage.removeItem(storageKey);
        setSave({ kind: "saved", at: result.savedAt });
      } else writeBackup(latest.current);
    } catch {
      setSave({ kind: "error", message: "Not saved to the server (no connection?). Your text is kept in this browser and will be saved when you type again." });
    }
  };

  const schedule = (text: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveNow(text), 800);
  };

  useEffect(() => {
    // Restore text this browser kept that never reached the server (same server draft it was based on).
    try {
      const raw = window.localStorage.getItem(storageKey);
      const backup = raw ? (JSON.parse(raw) as Backup) : null;
      if (backup && typeof backup.body === "string" && backup.body !== initialBody && (backup.base ?? null) === (savedAt ?? null)) {
        latest.current = backup.body;
        setBody(backup.body);
        setRestored(true);
        schedule(backup.body);
      } else if (backup) window.localStorage.removeItem(storageKey);
    } catch {
      // Unreadable backup: ignore it.
    }
    return () => clearTimeout(timer.current);
    // Runs once, on the text the page was loaded with.
  }, []);

  const words = countWords(body);
  const over = words > MAX_REPORT_WORDS;
  return (
    <div className={`report-editor field${error ? " field--error" : ""}`}>
      {restored ? (
        <div className="alert alert--info" role="status">
          We restored changes from this browser that had not reached the server. They are being saved now.
        </div>
      ) : null}
      <label htmlFor="report-body">Your report</label>
      <p className="field__hint" id="report-body-hint">
        Saved automatically as you type. A new line stays a new line (for To, From and Client lines); leave a blank line between paragraphs. Headings: start a line with <code>#</code> or{" "}
        <code>##</code> and a space. Lists: start each line with <code>-</code> and a space for bullet points, or <code>1.</code> for a numbered list. <code>**bold**</code> and{" "}
        <code>*italic*</code>. Other formatting and HTML show as typed.
      </p>
      {error ? (
        <p className="field__error" id="report-body-error">
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      <textarea
        id="report-body"
        name="body"
        value={body}
        spellCheck
        aria-invalid={error ? true : undefined}
        aria-describedby={`report-body-hint report-word-count${error ? " report-body-error" : ""}`}
        onChange={(event) => {
          const text = event.target.value;
          latest.current = text;
          setBody(text);
          writeBackup(text);
          setSave({ kind: "idle" });
          schedule(text);
        }}
      />
      <div className="editor-bar">
        <span id="report-word-count" className={over ? "word-count--over" : "word-count"}>
          {words.toLocaleString("en-GB")} {words === 1 ? "word" : "words"}
          {over ? ` — over the ${MAX_REPORT_WORDS.toLocaleString("en-GB")}-word limit` : ` (limit ${MAX_REPORT_WORDS.toLocaleString("en-GB")})`}
        </span>
        <span className="save-status" role="status" aria-live="polite">
          {save.kind === "saving" ? "Saving…" : save.kind === "saved" ? `Draft saved at ${timeOf(save.at)}` : save.kind === "error" ? save.message : ""}
        </span>
        <button type="button" className="button button--secondary" aria-expanded={preview} aria-controls="report-preview" onClick={() => setPreview(!preview)}>
          {preview ? "Hide preview" : "Show preview"}
        </button>
      </div>
      <section id="report-preview" className="report-preview" hidden={!preview} aria-label="Preview of your report">
        {preview ? body.trim() ? <MarkdownLite text={body} headingLevel={3} className="prose report-body" /> : <p className="muted">Nothing to preview yet.</p> : null}
      </section>
    </div>
  );
}
