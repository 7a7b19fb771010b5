import assert from "node:assert/strict";
import { Hono } from "hono";
import { isProxyAddress, isSecureRequest, loginClientIp } from "./request_facts.ts";

Deno.test("isProxyAddress() knows loopback and private ranges", () => {
  for (const a of ["127.0.0.1", "10.1.2.3", "192.168.0.9", "172.16.0.1", "172.31.9.9", "::1"]) {
    assert.equal(isProxyAddress(a), true, a);
  }
  for (const a of ["8.8.8.8", "172.32.0.1", "2001:db8::1", "::ffff:1.2.3.4"]) {
    assert.equal(isProxyAddress(a), false, a);
  }
  assert.equal(isProxyAddress("::ffff:10.0.0.1"), true);
});

Deno.test("isSecureRequest() and loginClientIp() read the proxy headers", async () => {
  const app = new Hono();
  app.get("/", (c) => c.json({ secure: isSecureRequest(c, false), ip: loginClientIp(c) }));
  const plain = await (await app.request("/")).json();
  assert.deepEqual(plain, { secure: false, ip: "" });
  const proxied = await (await app.request("/", {
    headers: { "X-Forwarded-Proto": "https", "X-Forwarded-For": "1.1.1.1, 2.2.2.2" },
  })).json();
  assert.deepEqual(proxied, { secure: true, ip: "2.2.2.2" });
  const real = await (await app.request("/", { headers: { "X-Real-Ip": "3.3.3.3" } })).json();
  assert.equal(real.ip, "3.3.3.3");
});
