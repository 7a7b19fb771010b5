/**
 * The body of every page: navbar (full for a signed-in user, logo-only
 * otherwise), the page content and the footer.
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import type { AuthUser } from "../../server/auth/auth_user.ts";
import { Footer } from "./footer.tsx";
import type { ClusterNav } from "./nav_model.ts";
import { MinimalNavbar, Navbar } from "./navbar.tsx";

/** Props of {@link Layout}. */
export interface LayoutProps {
  /** The signed-in user; without one (or with `minimal`) only the logo shows. */
  user?: AuthUser;
  /** Path of the current page. */
  path: string;
  clusters: ClusterNav[];
  logoUrl: string;
  /** Logo-only navbar even with a user (login, legal pages). */
  minimal?: boolean;
  children: ComponentChildren;
}

/** Navbar, `<main>` and footer. */
export function Layout(props: LayoutProps) {
  return (
    <>
      {props.user && !props.minimal
        ? (
          <Navbar
            user={props.user}
            path={props.path}
            clusters={props.clusters}
            logoUrl={props.logoUrl}
          />
        )
        : <MinimalNavbar logoUrl={props.logoUrl} />}
      <main class="site-content">
        <div class="container-fluid">{props.children}</div>
      </main>
      <Footer />
    </>
  );
}
