/**
 * The 404 answer: cc-backend's "Page Not Found" card for browsers, its JSON
 * error body under the API prefixes.
 *
 * @module
 */
import type { Context } from "hono";
import { renderPage } from "../server/render/render_page.tsx";

const JSON_PREFIXES = ["/api/", "/userapi/", "/frontend/", "/config/"];

/** The 404 card. */
export function NotFoundPage() {
  return (
    <div class="cc-narrow mx-auto mt-3">
      <div class="card text-center">
        <div class="card-body">
          <h1 class="card-title display-4">404</h1>
          <h2 class="h4">Page Not Found</h2>
          <p class="card-text">The page you are looking for does not exist or has been moved.</p>
          <a class="btn btn-primary" href="/">Back to Home</a>
        </div>
      </div>
    </div>
  );
}

/** The complete 404 page. */
export function renderNotFoundPage(): string {
  return renderPage(<NotFoundPage />, { title: "Page Not Found", minimal: true });
}

/** `app.notFound` handler: JSON under the API prefixes, the HTML page elsewhere. */
export function pageNotFound(c: Context): Response {
  if (JSON_PREFIXES.some((p) => c.req.path.startsWith(p))) {
    return c.json({
      status: "Resource not found",
      error: "the requested endpoint does not exist",
    }, 404);
  }
  return c.html(renderNotFoundPage(), 404);
}
