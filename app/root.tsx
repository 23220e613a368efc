import type {
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import {
  Form,
  Links,
  Meta,
  NavLink,
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
import { isCurrent, navigationFor, ROLE_LABELS } from "~/navigation";
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

function SiteHeader() {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user ?? null;
  const unread = data?.unread ?? 0;
  const items = navigationFor(user?.role ?? null);
  // On narrow screens (once the page's script runs) the navigation and account folds behind a
  // "Menu" button; without JavaScript, or on wider screens, it is always shown.
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  useEffect(() => setMenuOpen(false), [location.pathname]);
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <a className="brand" href="/">
          <span className="brand__mark" aria-hidden="true">
            RMR
          </span>
          <span className="brand__name">Approved Trainer Academy</span>
        </a>
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="site-menu"
          onClick={() => setMenuOpen((open) => !open)}
        >
          <span aria-hidden="true" className="menu-button__icon">
            {menuOpen ? "✕" : "☰"}
          </span>{" "}
          Menu
        </button>
        <div
          id="site-menu"
          className="site-menu"
          data-open={menuOpen ? "true" : "false"}
        >
          <nav aria-label="Main" className="main-nav">
            <ul>
              {items.map((item) => (
                <li key={item.to}>
                  <NavLink
                    to={item.to}
                    end={item.end}
                    reloadDocument={item.reloadDocument}
                    className={({ isActive }) => (isActive || isCurrent(item, location.pathname) ? "active" : undefined)}
                  >
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="account">
            {user ? (
              <>
                {/* The name carries the count ("Notifications, 3 unread"); it starts with the visible label. */}
                <NavLink to="/notifications" className="bell" aria-label={unread > 0 ? `Notifications, ${unread} unread` : "Notifications, none unread"}>
                  <span aria-hidden="true" className="bell__icon">
                    🔔
                  </span>
                  Notifications
                  {unread > 0 ? <span className="bell__count">{unread > 99 ? "99+" : unread}</span> : null}
                </NavLink>
                <span className="account__who">
                  <span className="account__name">{user.name}</span>
                  <span className="role-badge">{ROLE_LABELS[user.role]}</span>
                </span>
                <Form method="post" action="/logout">
                  <button type="submit" className="button button--quiet">
                    Sign out
                  </button>
                </Form>
              </>
            ) : (
              <>
                <NavLink to="/login">Sign in</NavLink>
                <NavLink to="/signup" className="button button--small">
                  Create an account
                </NavLink>
              </>
            )}
          </div>
        </div>
      </div>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  // A lesson document loads its island script, not the Remix app (ADR 0047).
  const island = useIslandScript();
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to main content
        </a>
        <SiteHeader />
        <main id="main" tabIndex={-1} className="page">
          {children}
        </main>
        <footer className="site-footer">
          <p>
            Approved Trainer Academy · RMR Medical-Legal Personal Trainer
            Framework · <a href="/verify">Verify a certificate</a>
          </p>
          <nav aria-label="About the academy">
            <ul className="inline-list">
              <li>
                <a href="/privacy">Privacy notice</a>
              </li>
              <li>
                <a href="/accessibility">Accessibility statement</a>
              </li>
              <li>
                <a href="/terms">Terms of use</a>
              </li>
              <li>
                <a href="/contact">Contact</a>
              </li>
            </ul>
          </nav>
        </footer>
        {island ? (
          <script type="module" src={island} nonce={nonce} />
        ) : (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        )}
      </body>
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
