/**
 * The few behaviours of the server-rendered Bootstrap markup (navbar
 * collapse, dropdown menus) without Bootstrap's JavaScript: elements with
 * `data-cc-toggle="collapse"` show and hide the element named by
 * `data-cc-target`; `data-cc-toggle="dropdown"` opens the following
 * `.dropdown-menu` and closes it on an outside click or Escape.
 *
 * @module
 */

function setOpen(toggle: Element, menu: Element | null, open: boolean): void {
  toggle.setAttribute("aria-expanded", String(open));
  menu?.classList.toggle("show", open);
}

function closeDropdowns(doc: Document, except?: Element): void {
  for (const toggle of doc.querySelectorAll('[data-cc-toggle="dropdown"][aria-expanded="true"]')) {
    if (toggle !== except) setOpen(toggle, toggle.nextElementSibling, false);
  }
}

/** Installs the delegated listeners on `doc`. */
export function installToggles(doc: Document): void {
  doc.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const toggle = target?.closest("[data-cc-toggle]");
    const kind = toggle?.getAttribute("data-cc-toggle");
    if (toggle && kind === "dropdown") {
      // The toggle's href is the no-JavaScript fallback; with JavaScript it opens the menu.
      event.preventDefault();
      closeDropdowns(doc, toggle);
      setOpen(toggle, toggle.nextElementSibling, toggle.getAttribute("aria-expanded") !== "true");
      return;
    }
    if (!target?.closest(".dropdown-menu")) closeDropdowns(doc);
    if (toggle && kind === "collapse") {
      const selector = toggle.getAttribute("data-cc-target");
      const panel = selector ? doc.querySelector(selector) : null;
      setOpen(toggle, panel, !panel?.classList.contains("show"));
    }
  });
  doc.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeDropdowns(doc);
  });
}
