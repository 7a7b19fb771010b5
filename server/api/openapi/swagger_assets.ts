/**
 * Swagger UI's stylesheet and script from the npm package `swagger-ui-dist`,
 * imported as text so that `deno compile` embeds them in the executable:
 * nothing is read from `node_modules` or fetched from a CDN at run time.
 * Loaded only in `-dev` mode (see `mount_swagger.ts`).
 *
 * @module
 */
import css from "swagger-ui-dist/swagger-ui.css" with { type: "text" };
import bundle from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "text" };
import bundleLicense from "swagger-ui-dist/swagger-ui-bundle.js.LICENSE.txt" with { type: "text" };

/** The assets, by the file name they are served under in `/swagger/`. */
export const SWAGGER_ASSETS: Record<string, { body: string; type: string }> = {
  // The source map is not shipped: drop the reference so browsers do not ask for it.
  "swagger-ui.css": {
    body: css.replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, ""),
    type: "text/css; charset=utf-8",
  },
  "swagger-ui-bundle.js": {
    body: bundle.replace(/\/\/# sourceMappingURL=\S+\s*$/, ""),
    type: "text/javascript; charset=utf-8",
  },
  "swagger-ui-bundle.js.LICENSE.txt": {
    body: bundleLicense,
    type: "text/plain; charset=utf-8",
  },
};
