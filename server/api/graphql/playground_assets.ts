/**
 * GraphiQL's prebuilt browser bundle and stylesheet from the npm package
 * `graphiql` (3.x, the last major that ships one) and the React UMD builds it
 * runs on (React 17: React 18's package `exports` hide its `umd/` files, and
 * GraphiQL 3 supports both), imported as text so that `deno compile` embeds them in the
 * executable: nothing is read from `node_modules` or fetched from a CDN at
 * run time. Loaded only in `-dev` mode (see `mount_playground.ts`).
 *
 * @module
 */
import graphiqlJs from "graphiql/graphiql.min.js" with { type: "text" };
import graphiqlCss from "graphiql/graphiql.min.css" with { type: "text" };
import graphiqlLicense from "graphiql/LICENSE" with { type: "text" };
import react from "react/umd/react.production.min.js" with { type: "text" };
import reactDom from "react-dom/umd/react-dom.production.min.js" with { type: "text" };

const JS = "text/javascript; charset=utf-8";

/** The assets, by the file name they are served under in `/playground/`. */
export const PLAYGROUND_ASSETS: Record<string, { body: string; type: string }> = {
  // The source maps are not shipped: drop the references so browsers do not ask for them.
  "graphiql.min.css": {
    body: graphiqlCss.replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, ""),
    type: "text/css; charset=utf-8",
  },
  "graphiql.min.js": { body: graphiqlJs.replace(/\/\/# sourceMappingURL=\S+\s*$/, ""), type: JS },
  "graphiql.LICENSE.txt": { body: graphiqlLicense, type: "text/plain; charset=utf-8" },
  "react.production.min.js": { body: react, type: JS },
  "react-dom.production.min.js": { body: reactDom, type: JS },
};
