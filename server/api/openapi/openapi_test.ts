import assert from "node:assert/strict";
import { createTestSite } from "../rest/test_app.ts";
import { OPENAPI_DOCUMENT } from "./openapi.ts";

type Operation = {
  operationId: string;
  tags: string[];
  parameters?: { name: string; in: string }[];
  responses: Record<string, unknown>;
};
const paths = OPENAPI_DOCUMENT.paths as Record<string, Record<string, Operation>>;

/** The REST routes of cc-backend 1.5 (method and path), as its router registers them. */
const REFERENCE_ROUTES = [
  "GET /api/users/",
  "POST /api/user/{id}",
  "GET /api/clusters/",
  "POST /api/nodestate/",
  "PUT /api/nodestate/",
  "POST /api/jobs/start_job/",
  "PUT /api/jobs/start_job/",
  "POST /api/jobs/stop_job/",
  "PUT /api/jobs/stop_job/",
  "GET /api/jobs/",
  "GET /api/jobs/used_nodes",
  "POST /api/jobs/tag_job/{id}",
  "PATCH /api/jobs/tag_job/{id}",
  "DELETE /api/jobs/tag_job/{id}",
  "PATCH /api/jobs/edit_meta/{id}",
  "PATCH /api/jobs/edit_meta/",
  "GET /api/jobs/metrics/{id}",
  "DELETE /api/jobs/delete_job/",
  "DELETE /api/jobs/delete_job/{id}",
  "DELETE /api/jobs/delete_job_before/{ts}",
  "POST /api/jobs/{id}",
  "GET /api/jobs/{id}",
  "DELETE /api/tags/",
  "GET /api/machine_state/{cluster}/{host}",
  "PUT /api/machine_state/{cluster}/{host}",
  "POST /api/machine_state/{cluster}/{host}",
  "POST /api/write",
  "POST /api/write/",
  "POST /api/free",
  "POST /api/free/",
  "GET /api/debug",
  "GET /api/debug/",
  "POST /api/healthcheck",
  "POST /api/healthcheck/",
  "GET /userapi/jobs/",
  "POST /userapi/jobs/{id}",
  "GET /userapi/jobs/{id}",
  "GET /userapi/jobs/metrics/{id}",
];

function documented(): string[] {
  return Object.entries(paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`)
  );
}

function collectRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => collectRefs(v, out));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "$ref" && typeof v === "string") out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

Deno.test("the OpenAPI document describes exactly cc-backend's REST routes", () => {
  assert.deepEqual(documented().sort(), [...REFERENCE_ROUTES].sort());
});

Deno.test("the OpenAPI document is internally consistent", async (t) => {
  await t.step("every $ref resolves", () => {
    for (const ref of collectRefs(OPENAPI_DOCUMENT)) {
      const [hash, components, kind, name] = ref.split("/");
      assert.equal(hash, "#");
      assert.equal(components, "components");
      const table = (OPENAPI_DOCUMENT.components as Record<string, Record<string, unknown>>)[kind];
      assert.ok(table && name in table, `unresolved ${ref}`);
    }
  });

  await t.step("operation ids are unique and tags declared", () => {
    const declared = (OPENAPI_DOCUMENT.tags as { name: string }[]).map((tag) => tag.name);
    const ids = new Set<string>();
    for (const ops of Object.values(paths)) {
      for (const operation of Object.values(ops)) {
        assert.ok(!ids.has(operation.operationId), `duplicate ${operation.operationId}`);
        ids.add(operation.operationId);
        for (const tag of operation.tags) assert.ok(declared.includes(tag), `tag ${tag}`);
        assert.ok(Object.keys(operation.responses).length > 0);
      }
    }
  });

  await t.step("every path template has its path parameters", () => {
    for (const [path, ops] of Object.entries(paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const [method, operation] of Object.entries(ops)) {
        const declared = (operation.parameters ?? []).filter((p) => p.in === "path")
          .map((p) => p.name).sort();
        assert.deepEqual(declared, names, `${method} ${path}`);
      }
    }
  });

  await t.step("every schema has a description of our own", () => {
    const schemas = (OPENAPI_DOCUMENT.components as { schemas: Record<string, unknown> }).schemas;
    for (const [name, schema] of Object.entries(schemas)) {
      assert.equal(typeof (schema as { description?: unknown }).description, "string", name);
    }
  });
});

Deno.test("every API route the server registers is in the OpenAPI document", async () => {
  const parent = await Deno.makeTempDir({ prefix: "cc-openapi-test-" });
  const site = await createTestSite({ main: { "machine-state-dir": parent } });
  try {
    const known = new Set(documented());
    const registered = site.app.routes
      .filter((r) => r.method !== "ALL" && /^\/(api|userapi)\//.test(r.path))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    assert.ok(registered.length >= 10, registered.join("\n"));
    for (const route of registered) assert.ok(known.has(route), `${route} is not documented`);
  } finally {
    await site.close();
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("GET /swagger/doc.json serves the document without a token", async () => {
  const site = await createTestSite();
  try {
    const res = await site.call("GET", "/swagger/doc.json", { roles: null });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.deepEqual(await res.json(), OPENAPI_DOCUMENT);
    const ui = await site.call("GET", "/swagger/", { roles: null });
    assert.equal(ui.status, 404, "Swagger UI only with -dev");
    await ui.body?.cancel();
  } finally {
    await site.close();
  }
});
