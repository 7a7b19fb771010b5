import assert from "node:assert/strict";
import { parseListenAddress } from "./listen_address.ts";

Deno.test("parseListenAddress() reads host:port forms", () => {
  assert.deepEqual(parseListenAddress("127.0.0.1:8080"), { hostname: "127.0.0.1", port: 8080 });
  assert.deepEqual(parseListenAddress(":443"), { hostname: "0.0.0.0", port: 443 });
  assert.deepEqual(parseListenAddress("localhost:80"), { hostname: "localhost", port: 80 });
  assert.deepEqual(parseListenAddress("[::1]:9000"), { hostname: "::1", port: 9000 });
});

Deno.test("parseListenAddress() rejects malformed addresses naming the value", () => {
  for (const bad of ["8080", "host:", "host:99999", "a b:80", ""]) {
    assert.throws(() => parseListenAddress(bad), /main\.addr: expected "host:port"/);
  }
});
