import type {
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, useState, type ReactNode } from "react";
import { getOptionalUser } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { unreadCount } from "~/notifications/notify.server";
import {
  errorPageTitle,
  GeneralErrorBoundary,
} from "~/components/error-boundary";
import { useNonce } from "~/components/nonce";
import { useIslandScript } from "~/components/islands";
import { BaseMeta, PageFrame, RemixHeaderLink, RemixPostForm, SiteHeaderView } from "~/components/site-chrome";
import styles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = ({ error }) => [
  { title: error ? errorPageTitle(error) : "Approved Trainer Academy" },
  {
    name: "description",
    content:
      "RMR's Medical-Legal Personal Trainer Framework: training, evidence and approval for personal trainers in rehabilitation.",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  // The bell's count: re-read on every navigation and after every form (Remix revalidates root).
  const unread = user ? await unreadCount(getDb(), user.id) : 0;
  return { user: user ? { name: user.name, role: user.role } : null, unread };
}

/** The header inside the Remix app: its links are `NavLink`s, its Menu button React state. */
function SiteHeader() {
  const data = useRouteLoaderData<typeof loader>("root");
  // On narrow screens (once the page's script runs) the navigation and account folds behind a
  // "Menu" button; without JavaScript, or on wider screens, it is always shown.
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  useEffect(() => setMenuOpen(false), [location.pathname]);
  return (
    <SiteHeaderView
      user={data?.user ?? null}
      unread={data?.unread ?? 0}
      menuOpen={menuOpen}
      onToggleMenu={() => setMenuOpen((open) => !open)}
      Link={RemixHeaderLink}
      Form={RemixPostForm}
    />
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  // A lesson document loads its island script, not the Remix app (ADR 0047).
  const island = useIslandScript();
  return (
    <html lang="en-GB">
      <head>
        <BaseMeta />
        <Meta />
        <Links />
      </head>
      <PageFrame
        header={<SiteHeader />}
        scripts={
          island ? (
            <script type="module" src={island} nonce={nonce} />
          ) : (
            <>
              <ScrollRestoration nonce={nonce} />
              <Scripts nonce={nonce} />
            </>
          )
        }
      >
        {children}
      </PageFrame>
    </html>
  );
}

export default function App() {
  // Marks the page once React has hydrated it (effects run only then): the point from which
  // choices are saved as they are made. Tests wait for this state instead of for time.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "";
  }, []);
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
