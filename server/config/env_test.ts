import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "./config_error.ts";
import { loadDotEnv, parseDotEnv } from "./env.ts";

Deno.test("parseDotEnv() follows godotenv's rules", async (t) => {
  const cases: [string, string, Record<string, string>][] = [
    ["plain pairs", "A=1\nB=two", { A: "1", B: "two" }],
    ["export prefix", "export A=1\nexport\tB=2\nexportC=3", { A: "1", B: "2", exportC: "3" }],
    ["comments and blank lines", "# c\n\n   # indented\nA=1\n\n", { A: "1" }],
    ["values containing =", "A=b=c==", { A: "b=c==" }],
    ["spaces around key and value", "  A  =  b c  ", { A: "b c" }],
    ["yaml style", "A: b", { A: "b" }],
    ["empty values", "A=\nB=\"\"\nC=''", { A: "", B: "", C: "" }],
    ["inline comment needs a space", "A=b # c\nB=b#c\nC=#x", { A: "b", B: "b#c", C: "#x" }],
    ["single quotes are literal", "A='x\\ny $B # z'", { A: "x\\ny $B # z" }],
    ["double quotes unescape", 'A="a\\nb\\tc\\\\d\\"e"', { A: 'a\nbtc\\d"e' }],
    ["quoted values span lines", 'A="one\ntwo"\nB=3', { A: "one\ntwo", B: "3" }],
    ["text after a closing quote", 'A="x" # note\nB=y', { A: "x", B: "y" }],
    ["dots and digits in names", "a.b_1=x", { "a.b_1": "x" }],
    ["CRLF line endings", "A=1\r\nB=2\r\n", { A: "1", B: "2" }],
    ["later duplicates win", "A=1\nA=2", { A: "2" }],
    ["variables expand", "A=x\nB=${A}y\nC=\"$A\"\nD='$A'\nE=\\$A\nF=${CC_UNSET_VAR_X}", {
      A: "x",
      B: "xy",
      C: "x",
      D: "$A",
      E: "$A",
      F: "",
    }],
    ["base64 padding survives", 'K="dGVzdA=="\nL=dGVzdA==', { K: "dGVzdA==", L: "dGVzdA==" }],
  ];
  for (const [name, text, expected] of cases) {
    await t.step(name, () => assert.deepEqual(parseDotEnv(text), expected));
  }
});

Deno.test("parseDotEnv() expands from the process environment", () => {
  Deno.env.set("CC_DOTENV_TEST_HOME", "/home/x");
  try {
    assert.deepEqual(parseDotEnv("P=${CC_DOTENV_TEST_HOME}/bin"), { P: "/home/x/bin" });
  } finally {
    Deno.env.delete("CC_DOTENV_TEST_HOME");
  }
});

Deno.test("parseDotEnv() rejects malformed lines naming them", async (t) => {
  const cases: [string, string, string][] = [
    ["no separator", "A=1\nNOEQUALS\nB=2", 'line 2: expected KEY=value, found "NOEQUALS"'],
    [
      "bad name character",
      "A-B=1",
      'line 1: unexpected character "-" in variable name of "A-B=1" (expected KEY=value)',
    ],
    ["unterminated quote", 'A=1\nB="open\n', 'line 2: unterminated quoted value "\\"open"'],
    ["missing name", "=x", 'line 1: missing variable name before "="'],
  ];
  for (const [name, text, message] of cases) {
    await t.step(name, () => assert.throws(() => parseDotEnv(text), { message }));
  }
});

Deno.test("loadDotEnv() sets only variables not already set", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cc-env-" });
  const path = join(dir, ".env");
  Deno.env.set("CC_DOTENV_TEST_KEEP", "from-process");
  try {
    await Deno.writeTextFile(path, 'CC_DOTENV_TEST_NEW="new"\nCC_DOTENV_TEST_KEEP=from-file\n');
    const vars = await loadDotEnv(path);
    assert.deepEqual(vars, { CC_DOTENV_TEST_NEW: "new", CC_DOTENV_TEST_KEEP: "from-file" });
    assert.equal(Deno.env.get("CC_DOTENV_TEST_NEW"), "new");
    assert.equal(Deno.env.get("CC_DOTENV_TEST_KEEP"), "from-process");
  } finally {
    Deno.env.delete("CC_DOTENV_TEST_NEW");
    Deno.env.delete("CC_DOTENV_TEST_KEEP");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadDotEnv() fails for a missing or malformed file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cc-env-" });
  try {
    const missing = join(dir, ".env");
    await assert.rejects(() => loadDotEnv(missing), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.message, `loading .env file: ${missing}: not found`);
      return true;
    });
    await Deno.writeTextFile(missing, "OOPS\n");
    await assert.rejects(() => loadDotEnv(missing), {
      name: "ConfigError",
      message: `loading .env file: ${missing}: line 1: expected KEY=value, found "OOPS"`,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
