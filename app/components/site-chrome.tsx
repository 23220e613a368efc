import type { ReactNode } from "react";
import { Form, NavLink, useLocation } from "@remix-run/react";
import type { Role } from "~db/schema";
import { isAt, isCurrent, navigationFor, ROLE_LABELS, type NavItem } from "~/navigation";

/** A link of the header: the Remix app's `NavLink`, or a plain anchor on a page without the router. */
export type HeaderLink = (props: { item: NavItem; className?: string; "aria-label"?: string; children: ReactNode }) => ReactNode;

/** A form posting to `action`: Remix's `Form` in the app, a plain `form` on a page without the router. */
export type PostForm = (props: { action: string; children: ReactNode }) => ReactNode;

/** A plain form posting to its action: the page is reloaded with the answer. */
export function PlainPostForm({ action, children }: { action: string; children: ReactNode }) {
  return (
    <form method="post" action={action}>
      {children}
    </form>
  );
}

/** The header's links inside the Remix app: `NavLink`s, shown as current on their section's pages too. */
export function RemixHeaderLink({ item, className, "aria-label": label, children }: Parameters<HeaderLink>[0]) {
  const location = useLocation();
  return (
    <NavLink
      to={item.to}
      end={item.end}
      reloadDocument={item.reloadDocument}
      aria-label={label}
      className={({ isActive }) => [className, isActive || isCurrent(item, location.pathname) ? "active" : undefined].filter(Boolean).join(" ") || undefined}
    >
      {children}
    </NavLink>
  );
}

/** Remix's `Form`, posting to `action`. */
export function RemixPostForm({ action, children }: Parameters<PostForm>[0]) {
  return (
    <Form method="post" action={action}>
      {children}
    </Form>
  );
}

/** What a plain anchor needs to look like React Router's `NavLink` in the same place. */
export function plainHeaderLink(pathname: string): HeaderLink {
  return function PlainHeaderLink({ item, className, "aria-label": label, children }) {
    // `aria-current` as NavLink sets it (this page, or below it unless `end`); the class also covers the item's section.
    const active = isAt(item.to, pathname, item.end);
    const classes = [className, isCurrent(item, pathname) ? "active" : undefined].filter(Boolean).join(" ") || undefined;
    return (
      <a aria-label={label} aria-current={active ? "page" : undefined} className={classes} href={item.to}>
        {children}
      </a>
    );
  };
}

/**
 * The site's header: brand, the role's navigation, and the account (notifications, name, sign out)
 * or the sign-in links. The Menu button's state is the caller's: React state in the Remix app, the
 * lesson island's script on a lesson document (app/islands/menu-button.ts).
 */
export function SiteHeaderView({
  user,
  unread,
  menuOpen,
  onToggleMenu,
  Link,
  Form,
}: {
  user: { name: string; role: Role } | null;
  unread: number;
  menuOpen: boolean;
  onToggleMenu?: () => void;
  Link: HeaderLink;
  Form: PostForm;
}) {
  const items = navigationFor(user?.role ?? null);
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <a className="brand" href="/">
          <span className="brand__mark" aria-hidden="true">
            RMR
          </span>
          <span className="brand__name">Approved Trainer Academy</span>
        </a>
        <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="site-menu" onClick={onToggleMenu}>
          <span aria-hidden="true" className="menu-button__icon">
            {menuOpen ? "✕" : "☰"}
          </span>{" "}
          Menu
        </button>
        <div id="site-menu" className="site-menu" data-open={menuOpen ? "true" : "false"}>
          <nav aria-label="Main" className="main-nav">
            <ul>
              {items.map((item) => (
                <li key={item.to}>
                  <Link item={item}>{item.label}</Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="account">
            {user ? (
              <>
                {/* The name carries the count ("Notifications, 3 unread"); it starts with the visible label. */}
                <Link item={{ to: "/notifications", label: "Notifications" }} className="bell" aria-label={unread > 0 ? `Notifications, ${unread} unread` : "Notifications, none unread"}>
                  <span aria-hidden="true" className="bell__icon">
                    🔔
                  </span>
                  Notifications
                  {unread > 0 ? <span className="bell__count">{unread > 99 ? "99+" : unread}</span> : null}
                </Link>
                <span className="account__who">
                  <span className="account__name">{user.name}</span>
                  <span className="role-badge">{ROLE_LABELS[user.role]}</span>
                </span>
                <Form action="/logout">
                  <button type="submit" className="button button--quiet">
                    Sign out
                  </button>
                </Form>
              </>
            ) : (
              <>
                <Link item={{ to: "/login", label: "Sign in" }}>Sign in</Link>
                <Link item={{ to: "/signup", label: "Create an account" }} className="button button--small">
                  Create an account
                </Link>
              </>
            )}
          </div>
        </div>
      </div>
    </header>
  );
}

/** The two head tags every document starts with. */
export function BaseMeta() {
  return (
    <>
      <meta charSet="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
    </>
  );
}

/** The body of every document: the skip link, the header, the page's main content, the footer, then its scripts. */
export function PageFrame({ header, children, scripts }: { header: ReactNode; children: ReactNode; scripts: ReactNode }) {
  return (
    <body>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      {header}
      <main id="main" tabIndex={-1} className="page">
        {children}
      </main>
      <footer className="site-footer">
        <p>
          Approved Trainer Academy · RMR Medical-Legal Personal Trainer Framework · <a href="/verify">Verify a certificate</a>
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
      {scripts}
    </body>
  );
}
