/**
 * Our Swagger UI page and its start script (kept out of the HTML so the page
 * needs no inline script). They load the assets served beside them and the
 * document at `./doc.json`.
 *
 * @module
 */

/** `/swagger/` and `/swagger/index.html`. */
export const SWAGGER_INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>cc-backend REST API</title>
<link rel="stylesheet" href="./swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="./swagger-ui-bundle.js"></script>
<script src="./swagger-initializer.js"></script>
</body>
</html>
`;

/** `/swagger/swagger-initializer.js`. */
export const SWAGGER_INITIALIZER_JS = `"use strict";
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: new URL("doc.json", window.location.href).toString(),
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
`;
