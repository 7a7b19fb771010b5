import assert from "node:assert/strict";
import { isSafeRedirect, redirectTarget } from "./safe_redirect.ts";

Deno.test("isSafeRedirect() accepts paths on this site only", () => {
  for (const ok of ["/", "/monitoring/jobs/?state=running", "/monitoring/job/12#top"]) {
    assert.equal(isSafeRedirect(ok), true, ok);
  }
  const refused = [
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "monitoring/jobs/",
    "/x\r\nSet-Cookie: a=b",
    "/\tevil",
    "",
  ];
  for (const bad of refused) assert.equal(isSafeRedirect(bad), false, bad);
  assert.equal(redirectTarget("https://evil.example/"), "/");
  assert.equal(redirectTarget(undefined), "/");
  assert.equal(redirectTarget("/config"), "/config");
});
