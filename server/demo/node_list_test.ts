import assert from "node:assert/strict";
import { expandNodeList } from "./node_list.ts";
import { nodeListContains } from "./test_util.ts";

Deno.test("expandNodeList() expands ranges, keeps zero padding and order", () => {
  assert.deepEqual(expandNodeList("f[0101-0103,0201]"), ["f0101", "f0102", "f0103", "f0201"]);
  assert.deepEqual(expandNodeList("a[0121-0122],a0831"), ["a0121", "a0122", "a0831"]);
  assert.deepEqual(expandNodeList("r[1-2]n[01-02]"), ["r1n01", "r1n02", "r2n01", "r2n02"]);
  assert.deepEqual(expandNodeList("login1"), ["login1"]);
});

Deno.test("expandNodeList() rejects malformed expressions", () => {
  assert.throws(() => expandNodeList("f[01-100]"), SyntaxError);
  assert.throws(() => expandNodeList("f[0101-0103"), SyntaxError);
  assert.throws(() => expandNodeList("f_01"), SyntaxError);
});

Deno.test("every expanded host is contained in its expression", () => {
  const expression = "f[0101-0124,0201-0224],f[2157-2164]";
  const hosts = expandNodeList(expression);
  assert.equal(hosts.length, 56);
  for (const host of hosts) assert.ok(nodeListContains(expression, host), host);
  assert.ok(!nodeListContains(expression, "f0125"));
  assert.ok(!nodeListContains(expression, "f101"));
});
