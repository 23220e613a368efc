import { useLoaderData } from "@remix-run/react";
import { ContentPage, contentPageMeta } from "~/components/content-page";
import { pageOr404 } from "~/content/pages.server";

/** Precompiled MDX from content/pages/contact (ADR 0020). */
export const handle = { allowEval: true };
export const meta = contentPageMeta;

export function loader() {
  return pageOr404("contact");
}

export default function Page() {
  return <ContentPage page={useLoaderData<typeof loader>()} />;
}
