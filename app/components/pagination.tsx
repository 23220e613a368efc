import { Link, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { pageHref, withParams } from "~/utils/pagination";

const count = new Intl.NumberFormat("en-GB");

/** "Showing 51–100 of 1,234 trainers": the position of the rows on screen. */
export function pageSummary(page: { offset: number; total: number; shown: number }, noun: string): string {
  if (page.shown === 0) return `No ${noun} match.`;
  return `Showing ${count.format(page.offset + 1)}–${count.format(page.offset + page.shown)} of ${count.format(page.total)} ${noun}`;
}

/**
 * Links to the first, previous and next pages. Plain links carrying the whole state in the
 * address, so they work without JavaScript and can be shared. The first-page link is marked
 * aria-current when it is the page shown.
 */
export function Pagination({ page, label, noun }: { page: { next: string | null; prev: string | null; total: number; offset: number; shown: number }; label: string; noun: string }) {
  const { search } = useLocation();
  const onFirst = page.prev === null;
  return (
    <nav className="pagination" aria-label={label}>
      <p className="pagination__summary">{pageSummary(page, noun)}</p>
      <ul className="pagination__links">
        <li>
          <Link to={pageHref(search, {})} aria-current={onFirst ? "page" : undefined}>
            First page
          </Link>
        </li>
        <li>
          {page.prev ? (
            <Link to={pageHref(search, { before: page.prev })} rel="prev">
              Previous page
            </Link>
          ) : (
            <span className="pagination__none">Previous page</span>
          )}
        </li>
        <li>
          {page.next ? (
            <Link to={pageHref(search, { after: page.next })} rel="next">
              Next page
            </Link>
          ) : (
            <span className="pagination__none">Next page</span>
          )}
        </li>
      </ul>
    </nav>
  );
}

/** A column header that sorts the table by itself; a second click reverses the order. */
export function SortHeader({ sortKey, current, direction, children }: { sortKey: string; current: string; direction: "asc" | "desc"; children: ReactNode }) {
  const { search } = useLocation();
  const active = current === sortKey;
  const nextDirection = active && direction === "asc" ? "desc" : "asc";
  return (
    <th scope="col" aria-sort={active ? (direction === "asc" ? "ascending" : "descending") : undefined}>
      <Link to={withParams(search, { sort: sortKey, dir: nextDirection })} className="sort-link">
        {children}
        <span className="visually-hidden">
          {active ? `, sorted ${direction === "asc" ? "ascending" : "descending"}; ` : ", "}sort {nextDirection === "asc" ? "ascending" : "descending"}
        </span>
        <span aria-hidden="true" className="sort-link__arrow">
          {active ? (direction === "asc" ? " ▲" : " ▼") : ""}
        </span>
      </Link>
    </th>
  );
}

/** The search box of a list: a GET form, so the search is in the address. Hidden fields keep the other filters. */
export function SearchField({ id, label, value, hint }: { id: string; label: string; value: string; hint?: string }) {
  return (
    <div className="field field--search">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <input id={id} name="q" type="search" defaultValue={value} maxLength={100} aria-describedby={hint ? `${id}-hint` : undefined} />
    </div>
  );
}
