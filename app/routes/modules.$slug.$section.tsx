import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { knowledgeCheckReply } from "~/assessment/attempts.server";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { findSection } from "~/content/catalog.server";
import { openSectionListOnWideScreens } from "~/components/lesson-chrome";
import { getDb } from "~/db.server";
import { completeSection } from "~/learning/progress.server";
import { lessonPageData } from "~/learning/lesson-page.server";
import { LessonView, lessonTitle } from "~/components/lesson-view";
import { RemixPostForm } from "~/components/site-chrome";
import { readForm } from "~/utils/forms";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? lessonTitle(data) : "Lesson" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  // A document carries the HTML once, in the page: its data names each part instead (ADR 0046).
  return lessonPageData(getDb(), user.id, params.slug, params.section, { document: context?.documentRequest === true, now: serverClock() });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const form = await readForm(request);
  const { module, index } = findSection(params.slug, params.section);
  if (form.get("intent") === "check") {
    // A knowledge check posted without JavaScript, graded on the server (the key never reaches the
    // page before): the page's action data. With JavaScript the island posts to `check` (ADR 0047).
    const { reply, status } = knowledgeCheckReply(module.slug, form);
    return data(reply, { status });
  }
  if (form.get("intent") !== "complete")
    throw new Response("Unknown action.", { status: 400 });
  await completeSection(
    getDb(),
    user.id,
    module.slug,
    params.section!,
    serverClock()
  );
  const next = module.sections[index + 1];
  return redirect(
    next
      ? `/modules/${module.slug}/${next.id}`
      : `/modules/${module.slug}?completed=1`
  );
}

/**
 * A document of this page hydrates only its islands (the knowledge checks and the page chrome's
 * few behaviours), not the Remix app: see ADR 0047 and app/islands/lesson.tsx.
 */
export const handle = { island: "lesson" };

export default function Lesson() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const reply = actionData && "questionId" in actionData ? actionData : undefined;
  const busy = useNavigation().state === "submitting";
  const tocRef = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (tocRef.current) openSectionListOnWideScreens(tocRef.current);
  }, []);
  return <LessonView data={data} reply={reply} busy={busy} tocRef={tocRef} Link={Link} CompleteForm={RemixPostForm} />;
}

