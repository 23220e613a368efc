import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

const FRIENDLY: Record<number, { title: string; body: string }> = {
  400: { title: "Something in that request was not right", body: "The page could not understand what was sent. Go back, check the details and try again." },
  403: { title: "You do not have access to this page", body: "Your account's role does not allow this. If you think it should, ask an administrator." },
  404: { title: "Page not found", body: "We could not find that page. Check the address, or start again from the home page." },
  413: { title: "That was more than the form accepts", body: "Nothing was saved. Go back, shorten the text and try again." },
  415: { title: "That request was not sent by one of our forms", body: "Nothing was changed. Go back to the page and use its form." },
  429: { title: "Too many requests", body: "You have made a lot of requests in a short time. Please wait a minute and try again." },
  500: { title: "Something went wrong on our side", body: "The error has been logged. Please try again in a moment; nothing you entered has been lost if it was saved." },
};

/** Bare status words a loader may throw: the page's own title and text already say them. */
const BARE_DETAILS = new Set(["not found", "forbidden", "bad request", "unauthorized"]);

function friendlyFor(error: unknown) {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return { status, friendly: FRIENDLY[status] ?? FRIENDLY[status >= 500 ? 500 : 400]! };
}

/** The tab title of an error page ("Page not found · Approved Trainer Academy"), for routes' `meta`. */
export function errorPageTitle(error: unknown): string {
  return `${friendlyFor(error).friendly.title} · Approved Trainer Academy`;
}

/** The tab title of the page for a status code, e.g. 404. */
export function statusPageTitle(status: number): string {
  return `${(FRIENDLY[status] ?? FRIENDLY[500]!).title} · Approved Trainer Academy`;
}

/** One friendly page for every error, chosen by status code. Never shows stack traces. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const { status, friendly } = friendlyFor(error);
  const said = isRouteErrorResponse(error) && typeof error.data === "string" && status < 500 ? error.data : null;
  const detail = said && !BARE_DETAILS.has(said.trim().toLowerCase()) ? said : null;
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-page__code">Error {status}</p>
      <h1 id="error-title">{friendly.title}</h1>
      <p>{friendly.body}</p>
      {detail && detail !== friendly.body ? <p className="error-page__detail">{detail}</p> : null}
      <p>
        <Link to="/" className="button">
          Go to the home page
        </Link>
      </p>
    </section>
  );
}
