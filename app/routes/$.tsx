import type { MetaFunction } from "@remix-run/node";
import { GeneralErrorBoundary, statusPageTitle } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: statusPageTitle(404) }];

export async function loader() {
  throw new Response("Not found", { status: 404 });
}

export async function action() {
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
