/**
 * The header's Menu button on a page without the Remix app (a lesson document, ADR 0047): the same
 * behaviour SiteHeader in app/root.tsx gives it with React state: on narrow screens the navigation
 * and account fold behind it (app.css shows the button only once `html[data-hydrated]` is set).
 */
export function enhanceMenuButton() {
  const button = document.querySelector<HTMLButtonElement>(".menu-button");
  const menu = document.getElementById("site-menu");
  const icon = button?.querySelector(".menu-button__icon");
  if (!button || !menu || !icon) return;
  button.addEventListener("click", () => {
    const open = menu.dataset.open !== "true";
    menu.dataset.open = open ? "true" : "false";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    icon.textContent = open ? "✕" : "☰";
  });
}
