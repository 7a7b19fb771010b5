/**
 * The imprint and privacy pages linked from the footer, with cc-backend's
 * placeholder texts (operators replace them).
 *
 * @module
 */
import { definePublicPage } from "../server/render/define_page.ts";

/** The imprint placeholder. */
export function ImprintPage() {
  return (
    <article class="cc-prose mx-auto">
      <h1>Imprint</h1>
      <p>
        This page is a placeholder. The operator of this ClusterCockpit instance publishes the
        legally required provider identification here.
      </p>
    </article>
  );
}

/** The privacy policy placeholder. */
export function PrivacyPage() {
  return (
    <article class="cc-prose mx-auto">
      <h1>Privacy Policy</h1>
      <p>
        This page is a placeholder. The operator of this ClusterCockpit instance describes here
        which personal data (user names, job metadata, session cookies) it processes and why.
      </p>
    </article>
  );
}

/** `GET /imprint`. */
export const imprintPage = definePublicPage({
  path: "/imprint",
  title: "Imprint",
  minimal: true,
  load: () => ({}),
  Page: ImprintPage,
});

/** `GET /privacy`. */
export const privacyPage = definePublicPage({
  path: "/privacy",
  title: "Privacy",
  minimal: true,
  load: () => ({}),
  Page: PrivacyPage,
});
