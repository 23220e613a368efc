import { useFetcher } from "@remix-run/react";
import { getMDXComponent } from "mdx-bundler/client/index.js";
import { createContext, useContext, useEffect, useId, useMemo, type ComponentType, type ReactNode } from "react";
import type { PublicQuestion } from "./types";
import { QuestionFieldset } from "~/components/question";

/** The only components lesson MDX may use (see content/README.md). */
interface LessonContextValue {
  slug: string;
  checks: Record<string, PublicQuestion>;
}
const LessonContext = createContext<LessonContextValue>({ slug: "", checks: {} });
export const LessonProvider = LessonContext.Provider;

function Scenario({ title, children }: { title?: string; children: ReactNode }) {
  const id = useId();
  return (
    <aside className="scenario" aria-labelledby={id}>
      <p className="scenario__label" id={id}>
        Worked scenario{title ? `: ${title}` : ""}
      </p>
      {children}
    </aside>
  );
}

function Boundaries({ children }: { children: ReactNode }) {
  return <div className="boundaries">{children}</div>;
}

function Do({ children }: { children: ReactNode }) {
  return (
    <section className="boundaries__do">
      <h3>What you do</h3>
      {children}
    </section>
  );
}

function Dont({ children }: { children: ReactNode }) {
  return (
    <section className="boundaries__dont">
      <h3>What you don&rsquo;t do</h3>
      {children}
    </section>
  );
}

interface CheckResponse {
  error?: string;
  correct?: boolean;
  correctOptionIds?: string[];
  explanation?: string[];
}

function KnowledgeCheck({ id }: { id: string }) {
  const { slug, checks } = useContext(LessonContext);
  const fetcher = useFetcher<CheckResponse>();
  const question = checks[id];
  if (!question) return null;
  const result = fetcher.data;
  return (
    <section className="knowledge-check" aria-label="Knowledge check">
      <p className="knowledge-check__label">Knowledge check</p>
      <fetcher.Form method="post" action={`/modules/${slug}/check`}>
        <input type="hidden" name="questionId" value={question.id} />
        <QuestionFieldset question={question} name="option" reveal={result?.correctOptionIds ? { correctOptionIds: result.correctOptionIds } : undefined} />
        <button type="submit" className="button button--small" disabled={fetcher.state !== "idle"}>
          {fetcher.state !== "idle" ? "Checking…" : "Check my answer"}
        </button>
        <div aria-live="polite" className="knowledge-check__feedback">
          {result?.error ? <p className="field__error">{result.error}</p> : null}
          {result?.correct !== undefined ? (
            <div className={`alert ${result.correct ? "alert--success" : "alert--info"}`}>
              <p>
                <strong>{result.correct ? "Correct." : "Not quite."}</strong>
              </p>
              {result.explanation?.map((p) => <p key={p}>{p}</p>)}
            </div>
          ) : null}
        </div>
      </fetcher.Form>
    </section>
  );
}

const components = { Scenario, Boundaries, Do, Dont, KnowledgeCheck };

const cache = new Map<string, ComponentType<{ components?: Record<string, unknown> }>>();

/**
 * When a page without 'unsafe-eval' in its CSP navigates to a lesson in the browser, the
 * document's stricter policy still applies and evaluation fails: load the lesson as a document.
 */
function ReloadAsDocument() {
  useEffect(() => {
    window.location.reload();
  }, []);
  return <p>Loading the lesson…</p>;
}

/** Turns precompiled section code into a component, once per code string (per process). */
export function useLessonComponent(code: string) {
  return useMemo(() => {
    let component = cache.get(code);
    if (!component) {
      try {
        component = getMDXComponent(code) as ComponentType<{ components?: Record<string, unknown> }>;
      } catch (error) {
        if (typeof window !== "undefined" && error instanceof EvalError) return ReloadAsDocument;
        throw error;
      }
      if (cache.size > 200) cache.clear();
      cache.set(code, component);
    }
    return component;
  }, [code]);
}

export function LessonBody({ code }: { code: string }) {
  const Component = useLessonComponent(code);
  return <Component components={components} />;
}
