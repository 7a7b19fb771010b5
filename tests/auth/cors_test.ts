import assert from "node:assert/strict";
import { createTestSite } from "../../server/api/rest/test_app.ts";

Deno.test("CORS never combines the * origin with credentials", async () => {
  const site = await createTestSite();
  try {
    const preflight = await site.app.request("/query", {
      method: "OPTIONS",
      headers: {
        Origin: "https://evil.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
      },
    });
    assert.equal(preflight.headers.get("Access-Control-Allow-Origin"), "*");
    assert.equal(preflight.headers.get("Access-Control-Allow-Credentials"), null);
    await preflight.body?.cancel();
    const simple = await site.app.request("/api/clusters/", {
      headers: { Origin: "https://evil.example", Cookie: "session=x" },
    });
    assert.equal(simple.headers.get("Access-Control-Allow-Origin"), "*");
    assert.equal(simple.headers.get("Access-Control-Allow-Credentials"), null);
    await simple.body?.cancel();
  } finally {
    await site.close();
  }
});
