/**
 * The interim home page served until the web UI lands: which clusters the
 * archive holds and how many jobs each has, as escaped HTML.
 *
 * @module
 */
import { VERSION } from "../version.ts";

/** Job counts of one cluster. */
export interface ClusterCounts {
  name: string;
  running: number;
  total: number;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Renders the status page. */
export function renderStatusPage(clusters: ClusterCounts[], options: { login?: string } = {}) {
  const rows = clusters.map((c) =>
    `<tr><td>${escapeHtml(c.name)}</td><td>${c.running}</td><td>${c.total}</td></tr>`
  ).join("");
  const login = options.login ? `<p>Demo login: <code>${escapeHtml(options.login)}</code></p>` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>cc-backend for Deno</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:50rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .8rem;text-align:right}
td:first-child,th:first-child{text-align:left}</style></head>
<body><h1>cc-backend for Deno ${VERSION}</h1>
<p>Job database and job archive are loaded. The REST API, metric store, GraphQL API and the
web UI are being built; this page shows what is there so far.</p>
<table><thead><tr><th>Cluster</th><th>Running jobs</th><th>Total jobs</th></tr></thead>
<tbody>${rows}</tbody></table>${login}
</body></html>`;
}
