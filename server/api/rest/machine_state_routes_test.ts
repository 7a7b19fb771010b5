import assert from "node:assert/strict";
import { join } from "node:path";
import { machineStatePath } from "./machine_state_routes.ts";
import { createTestSite } from "./test_app.ts";

async function listTree(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const name = prefix + entry.name;
    out.push(name);
    if (entry.isDirectory) out.push(...await listTree(join(dir, entry.name), `${name}/`));
  }
  return out.sort();
}

Deno.test("machine_state routes do not exist without main.machine-state-dir", async () => {
  const site = await createTestSite();
  try {
    for (const method of ["GET", "PUT", "POST"]) {
      const res = await site.call(method, "/api/machine_state/fritz/f0101", {
        body: method === "GET" ? undefined : "{}",
      });
      assert.equal(res.status, 404, method);
      assert.deepEqual(await res.json(), {
        error: "the requested endpoint does not exist",
        status: "Resource not found",
      });
    }
  } finally {
    await site.close();
  }
});

Deno.test("machine_state routes store and serve one JSON file per node", async (t) => {
  const parent = await Deno.makeTempDir({ prefix: "cc-machine-state-" });
  const root = join(parent, "state");
  const site = await createTestSite({ main: { "machine-state-dir": root } });
  try {
    const doc = '{"cpu":"Xeon <8480>","sockets":2}';

    await t.step("PUT stores the raw body and answers 201 with no body", async () => {
      const res = await site.call("PUT", "/api/machine_state/fritz/f0101", { body: doc });
      assert.equal(res.status, 201);
      assert.equal(await res.text(), "");
      assert.equal(await Deno.readTextFile(join(root, "fritz", "f0101.json")), doc);
    });

    await t.step("GET serves it as JSON with Last-Modified", async () => {
      const res = await site.call("GET", "/api/machine_state/fritz/f0101");
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "application/json");
      assert.equal(await res.text(), doc);
      const modified = res.headers.get("last-modified");
      assert.ok(modified && !Number.isNaN(Date.parse(modified)));
      const again = await site.call("GET", "/api/machine_state/fritz/f0101", {
        headers: { "If-Modified-Since": modified },
      });
      assert.equal(again.status, 304);
      assert.equal(await again.text(), "");
      const old = await site.call("GET", "/api/machine_state/fritz/f0101", {
        headers: { "If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT" },
      });
      assert.equal(old.status, 200);
      await old.body?.cancel();
    });

    await t.step("POST overwrites; odd but safe names are kept verbatim", async () => {
      const res = await site.call("POST", "/api/machine_state/fritz/f0101", { body: "[]" });
      assert.equal(res.status, 201);
      await res.body?.cancel();
      assert.equal(await Deno.readTextFile(join(root, "fritz", "f0101.json")), "[]");
      const odd = "h'; DROP TABLE node;-- ñ✓";
      const put = await site.call("PUT", `/api/machine_state/clüster/${encodeURIComponent(odd)}`, {
        body: "{}",
      });
      assert.equal(put.status, 201);
      await put.body?.cancel();
      assert.equal(await Deno.readTextFile(join(root, "clüster", `${odd}.json`)), "{}");
    });

    await t.step("a missing file is a JSON 404 naming the node", async () => {
      const res = await site.call("GET", "/api/machine_state/fritz/f9999");
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), {
        status: "Not Found",
        error: 'no machine state of host "f9999" of cluster "fritz" stored',
      });
    });

    await t.step("names that could leave the directory are 400s naming the value", async () => {
      const cases: [string, string, string][] = [
        ["a..b", "f0101", 'invalid cluster name "a..b"'],
        ["fritz", "..%2F..%2Fescaped", 'invalid host name "../../escaped"'],
        ["..%2Fx", "f0101", 'invalid cluster name "../x"'],
        ["fritz", "a%5Cb", 'invalid host name "a\\\\b"'],
        ["fritz", "a%00b", 'invalid host name "a\\u0000b"'],
        ["fritz", "...", 'invalid host name "..."'],
        ["fritz", "%2Fetc%2Fpasswd", 'invalid host name "/etc/passwd"'],
      ];
      for (const [cluster, host, error] of cases) {
        for (const method of ["GET", "PUT"]) {
          const res = await site.call(method, `/api/machine_state/${cluster}/${host}`, {
            body: method === "PUT" ? "{}" : undefined,
          });
          assert.equal(res.status, 400, `${method} ${cluster}/${host}`);
          const body = await res.json();
          assert.equal(body.status, "Bad Request");
          assert.ok(body.error.startsWith(error), `${body.error} should start with ${error}`);
        }
      }
      // Dot segments are resolved by URL parsing before routing: they never reach the handler.
      const dots = await site.call("PUT", "/api/machine_state/%2E%2E/f0101", { body: "{}" });
      assert.equal(dots.status, 404);
      await dots.body?.cancel();
      assert.deepEqual(await listTree(parent), [
        "state",
        "state/clüster",
        "state/clüster/h'; DROP TABLE node;-- ñ✓.json",
        "state/fritz",
        "state/fritz/f0101.json",
      ]);
    });

    await t.step("a body over 8 MiB is a 413 and writes nothing", async () => {
      const res = await site.call("PUT", "/api/machine_state/fritz/big", {
        body: "x".repeat(9 * 1024 * 1024),
      });
      assert.equal(res.status, 413);
      await res.body?.cancel();
      assert.equal((await listTree(root)).includes("fritz/big.json"), false);
    });

    await t.step("the /api guard applies; DELETE is a 405", async () => {
      const res = await site.call("GET", "/api/machine_state/fritz/f0101", {
        roles: ["user", "api"],
      });
      assert.equal(res.status, 401);
      await res.body?.cancel();
      const del = await site.call("DELETE", "/api/machine_state/fritz/f0101");
      assert.equal(del.status, 405);
      assert.equal(del.headers.get("allow"), "GET, PUT, POST");
    });
  } finally {
    await site.close();
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("machineStatePath() keeps every accepted name inside the root", () => {
  assert.equal(machineStatePath("/srv/state", "fritz", "f0101"), "/srv/state/fritz/f0101.json");
  assert.equal(machineStatePath("/srv/state/", "c", ".hidden"), "/srv/state/c/.hidden.json");
  for (const [cluster, host] of [["", "h"], ["c", ""], [".", "h"], ["c", ".."], ["c", "a/b"]]) {
    assert.throws(
      () => machineStatePath("/srv/state", cluster, host),
      /invalid (cluster|host) name/,
    );
  }
});
