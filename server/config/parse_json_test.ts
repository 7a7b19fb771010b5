import assert from "node:assert/strict";
import { locateJsonError, parseJson } from "./parse_json.ts";

Deno.test("parseJson() parses valid JSON like JSON.parse", () => {
  const text = '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"], "b": {}}';
  assert.deepEqual(parseJson(text), JSON.parse(text));
});

Deno.test("parseJson() locates syntax errors", async (t) => {
  const cases: [string, string][] = [
    ['{"a": 1,}', "line 1, column 9: expected a double-quoted key, found '}'"],
    ["{'a': 1}", "line 1, column 2: expected a double-quoted key, found '''"],
    ['{"a" 1}', "line 1, column 6: expected ':' after the key"],
    ['{"a": 1 "b": 2}', "line 1, column 9: expected ',' or '}', found '\"'"],
    ["[1 2]", "line 1, column 4: expected ',' or ']', found '2'"],
    ['{"a": 01}', "line 1, column 8: expected ',' or '}', found '1'"],
    ['{\n\n  "a": "x\ny"}', "line 3, column 10: control character in string (escape it, e.g. \\n)"],
    ['["\\x"]', "line 1, column 3: invalid escape sequence in string"],
    ['["abc', "line 1, column 6: unexpected end of input"],
    ["{} {}", "line 1, column 4: unexpected text after the JSON value"],
    ["", "line 1, column 1: unexpected end of input"],
  ];
  for (const [text, message] of cases) {
    await t.step(JSON.stringify(text), () => {
      assert.throws(() => parseJson(text), { message: `invalid JSON at ${message}` });
    });
  }
});

Deno.test("locateJsonError() returns undefined for valid JSON", () => {
  assert.equal(locateJsonError(' {"a": [ ] } \n'), undefined);
});
