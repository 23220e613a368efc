import { useLoaderData } from "@remix-run/react";
import { ContentPage, contentPageMeta } from "~/components/content-page";
import { pageOr404 } from "~/content/pages.server";

/** content/pages/accessibility, rendered to HTML by the content build (ADR 0020, ADR 0041). */
export const meta = contentPageMeta;

export function loader() {
  return pageOr404("accessibility");
}

export default function Page() {
  return <ContentPage page={useLoaderData<typeof loader>()} />;
}
