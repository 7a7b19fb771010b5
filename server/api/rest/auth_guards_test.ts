import assert from "node:assert/strict";
import { createTestSite } from "./test_app.ts";

Deno.test("the /api guard follows cc-backend's rules", async (t) => {
  const site = await createTestSite({ main: { "api-allowed-ips": ["10.0.0.1"] } });
  try {
    await t.step("no token from an allowed ip → no user for secured check", async () => {
      const res = await site.call("GET", "/api/clusters/", {
        roles: null,
        headers: { "X-Real-Ip": "10.0.0.1" },
      });
      assert.equal(res.status, 401);
      assert.equal(
        await res.text(),
        '{"error":"no user for secured check","status":"Unauthorized"}\n',
      );
    });
    await t.step("an ip not in api-allowed-ips is refused first", async () => {
      const res = await site.call("GET", "/api/clusters/", {
        headers: { "X-Real-Ip": "10.9.9.9" },
      });
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), { error: "unknown ip: 10.9.9.9", status: "Unauthorized" });
    });
    await t.step("user+api roles are refused on /api", async () => {
      const res = await site.call("GET", "/api/clusters/", {
        roles: ["user", "api"],
        headers: { "X-Forwarded-For": "10.0.0.1:5555" },
      });
      assert.equal(res.status, 401);
      assert.equal((await res.json()).error, "unauthorized");
    });
    await t.step("a forged token is refused with the reason", async () => {
      const token = await site.token(["api"]);
      const forged = token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
      const res = await site.call("GET", "/api/clusters/", {
        roles: null,
        headers: { "Authorization": `Bearer ${forged}`, "X-Real-Ip": "10.0.0.1" },
      });
      assert.equal(res.status, 401);
      assert.match((await res.json()).error, /signature is invalid/);
    });
    await t.step("an HS256 token is refused: EdDSA only", async () => {
      const header = btoa(JSON.stringify({ alg: "HS256", typ: "JWT" })).replace(/=+$/, "");
      const payload = btoa(JSON.stringify({ sub: "x", roles: ["api"] })).replace(/=+$/, "");
      const res = await site.call("GET", "/api/clusters/", {
        roles: null,
        headers: { "X-Auth-Token": `${header}.${payload}.c2ln`, "X-Real-Ip": "10.0.0.1" },
      });
      assert.equal(res.status, 401);
      assert.match((await res.json()).error, /only Ed25519\/EdDSA supported/);
    });
    await t.step("unknown API paths answer the JSON 404", async () => {
      const res = await site.call("GET", "/api/no/such/thing", { roles: null });
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), {
        error: "the requested endpoint does not exist",
        status: "Resource not found",
      });
    });
    await t.step("/userapi accepts api with user but not user alone", async () => {
      const ok = await site.call("GET", "/userapi/no-such", { roles: ["api", "user"] });
      assert.equal(ok.status, 404);
      const refused = await site.call("GET", "/userapi/no-such", { roles: ["user"] });
      assert.equal(refused.status, 401);
    });
    await t.step("cross-site POSTs are blocked", async () => {
      const res = await site.call("POST", "/api/jobs/start_job/", {
        body: {},
        headers: { "Sec-Fetch-Site": "cross-site" },
      });
      assert.equal(res.status, 403);
      assert.equal(await res.text(), "cross-site request blocked\n");
    });
  } finally {
    await site.close();
  }
});
