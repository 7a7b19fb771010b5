import assert from "node:assert/strict";
import { jsonForScript } from "./json_script.ts";

Deno.test("jsonForScript() escapes what could end or confuse a script element", async (t) => {
  const value = {
    a: "</script><script>alert(1)</script>",
    b: "<!-- x -->",
    c: "a & b > c",
    d: "line\u2028separator\u2029",
  };
  const json = jsonForScript(value);

  await t.step("no <, >, & or line separators remain", () => {
    assert.doesNotMatch(json, /[<>&\u2028\u2029]/);
  });

  await t.step("JSON.parse() returns the value unchanged", () => {
    assert.deepEqual(JSON.parse(json), value);
  });
});
