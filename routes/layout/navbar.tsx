/**
 * The Bootstrap 5 navbar of cc-backend's pages: brand, the entries of the
 * user's role (see `nav_model.ts`), the search form (`GET /search`),
 * documentation, settings, the theme island and logout. Collapses into a
 * toggler below 992 px; dropdowns open through `data-cc-toggle` (boot
 * script) and fall back to their link without JavaScript.
 *
 * @module
 */
import { Fragment } from "preact";
import type { AuthUser } from "../../server/auth/auth_user.ts";
import { Island } from "../../server/render/island.tsx";
import { type ClusterNav, isActive, navEntries, type NavEntry, searchHelp } from "./nav_model.ts";

/** Props of {@link Navbar}. */
export interface NavbarProps {
  user: AuthUser;
  /** Path of the current page, for the active entry. */
  path: string;
  clusters: ClusterNav[];
  logoUrl: string;
}

function Brand(props: { logoUrl: string }) {
  return (
    <a class="navbar-brand" href="/">
      <img src={props.logoUrl} alt="ClusterCockpit Logo" />
    </a>
  );
}

function EntryLabel(props: { entry: NavEntry }) {
  return (
    <>
      <i class={`bi bi-${props.entry.icon}`} aria-hidden="true"></i>{" "}
      <span class="cc-nav-label">{props.entry.title}</span>
    </>
  );
}

function Entry(props: { entry: NavEntry; active: boolean }) {
  const { entry, active } = props;
  if (!entry.sections) {
    return (
      <li class="nav-item">
        <a
          class={`nav-link${active ? " active" : ""}`}
          href={entry.href}
          title={entry.title}
          aria-current={active ? "page" : undefined}
        >
          <EntryLabel entry={entry} />
        </a>
      </li>
    );
  }
  return (
    <li class="nav-item dropdown">
      <a
        class={`nav-link dropdown-toggle${active ? " active" : ""}`}
        href={entry.href}
        title={entry.title}
        role="button"
        data-cc-toggle="dropdown"
        aria-expanded="false"
      >
        <EntryLabel entry={entry} />
      </a>
      <ul class="dropdown-menu">
        {entry.sections.map((section, i) => (
          <Fragment key={section.header ?? i}>
            {i > 0 && (
              <li>
                <hr class="dropdown-divider" />
              </li>
            )}
            {section.header && (
              <li>
                <h6 class="dropdown-header">{section.header}</h6>
              </li>
            )}
            {section.items.map((item) => (
              <li key={item.href}>
                <a class="dropdown-item" href={item.href}>{item.title}</a>
              </li>
            ))}
          </Fragment>
        ))}
      </ul>
    </li>
  );
}

/** The navbar of a signed-in user. */
export function Navbar(props: NavbarProps) {
  const { user, path } = props;
  const entries = navEntries(user, props.clusters);
  return (
    <header>
      <nav class="navbar navbar-expand-lg fixed-top bg-body-tertiary border-bottom">
        <div class="container-fluid">
          <Brand logoUrl={props.logoUrl} />
          <button
            class="navbar-toggler"
            type="button"
            data-cc-toggle="collapse"
            data-cc-target="#cc-navbar"
            aria-controls="cc-navbar"
            aria-expanded="false"
            aria-label="Toggle navigation"
          >
            <span class="navbar-toggler-icon"></span>
          </button>
          <div class="collapse navbar-collapse" id="cc-navbar">
            <ul class={`navbar-nav me-auto${entries.length > 5 ? " cc-nav-compact" : ""}`}>
              {entries.map((entry) => (
                <Entry key={entry.id} entry={entry} active={isActive(entry, path)} />
              ))}
            </ul>
            <form class="d-flex my-2 my-lg-0 me-lg-2" method="get" action="/search" role="search">
              <div class="input-group navbar-search">
                <input
                  class="form-control"
                  type="search"
                  name="searchId"
                  placeholder="Search 'type:<query>' ..."
                  aria-label="Search"
                />
                <button class="btn btn-outline-secondary" type="submit" title="Search">
                  <i class="bi bi-search" aria-hidden="true"></i>
                </button>
                <span class="input-group-text" title={searchHelp(user)}>
                  <i class="bi bi-info-circle" aria-hidden="true"></i>
                </span>
              </div>
            </form>
            <div class="d-flex flex-wrap gap-2 align-items-center">
              <a
                class="btn btn-outline-secondary"
                href="https://www.clustercockpit.org/docs/webinterface/"
                title="Documentation"
                rel="nofollow noopener"
                target="_blank"
              >
                <i class="bi bi-book" aria-hidden="true"></i>
              </a>
              <a
                class={`btn btn-outline-secondary${path === "/config" ? " active" : ""}`}
                href="/config"
                title="Settings"
              >
                <i class="bi bi-gear" aria-hidden="true"></i>
              </a>
              <Island name="theme_toggle" props={{}} />
              <form method="post" action="/logout">
                <button
                  class="btn btn-outline-success"
                  type="submit"
                  title={`Logout ${user.username}`}
                >
                  <i class="bi bi-box-arrow-right" aria-hidden="true"></i>{" "}
                  <span class="cc-logout-label">Logout {user.username}</span>
                </button>
              </form>
            </div>
          </div>
        </div>
      </nav>
    </header>
  );
}

/** The navbar of the login, legal and error pages: logo and theme switch only. */
export function MinimalNavbar(props: { logoUrl: string }) {
  return (
    <header>
      <nav class="navbar fixed-top bg-body-tertiary border-bottom">
        <div class="container-fluid">
          <Brand logoUrl={props.logoUrl} />
          <Island name="theme_toggle" props={{}} />
        </div>
      </nav>
    </header>
  );
}
