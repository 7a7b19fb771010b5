/**
 * The page footer: legal links and build information, as cc-backend's
 * `base.tmpl`.
 *
 * @module
 */
import { BUILD, VERSION } from "../../server/version.ts";

/** The footer of every page with a layout. */
export function Footer() {
  return (
    <footer class="site-footer bg-body-tertiary border-top py-2">
      <div class="container-fluid d-flex flex-wrap justify-content-between gap-2 small">
        <ul class="list-inline mb-0">
          <li class="list-inline-item">
            <a class="link-secondary" href="/imprint" rel="nofollow">Imprint</a>
          </li>
          <li class="list-inline-item">
            <a class="link-secondary" href="/privacy" rel="nofollow">Privacy Policy</a>
          </li>
        </ul>
        <ul class="list-inline mb-0 text-body-secondary">
          <li class="list-inline-item">Version {VERSION}</li>
          <li class="list-inline-item">Hash {BUILD.commit}</li>
          <li class="list-inline-item">Built {BUILD.date}</li>
        </ul>
      </div>
    </footer>
  );
}
