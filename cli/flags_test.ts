import assert from "node:assert/strict";
import { FlagError, parseFlags, usage } from "./flags.ts";

Deno.test("parseFlags() accepts one or two dashes and both value forms", () => {
  const a = parseFlags(["-init-db", "--server", "-config", "x.json", "--loglevel=info"]);
  assert.equal(a.initDb, true);
  assert.equal(a.server, true);
  assert.equal(a.config, "x.json");
  assert.equal(a.logLevel, "info");
  const b = parseFlags(["--add-user=demo:admin,api:demo", "-jwt", "demo"]);
  assert.equal(b.addUser, "demo:admin,api:demo");
  assert.equal(b.jwt, "demo");
});

Deno.test("parseFlags() applies cc-backend's defaults", () => {
  const f = parseFlags([]);
  assert.equal(f.config, "./config.json");
  assert.equal(f.logLevel, "warn");
  assert.equal(f.server, false);
  assert.equal(f.addUser, "");
});

Deno.test("parseFlags() reads Go boolean words", () => {
  assert.equal(parseFlags(["-dev=true"]).dev, true);
  assert.equal(parseFlags(["-dev=false"]).dev, false);
  assert.equal(parseFlags(["-dev=0"]).dev, false);
  assert.throws(() => parseFlags(["-dev=maybe"]), /invalid boolean value "maybe" for -dev/);
});

Deno.test("parseFlags() rejects bad input naming the flag", async (t) => {
  await t.step("unknown flag", () => {
    assert.throws(() => parseFlags(["-nope"]), /flag provided but not defined: -nope/);
  });
  await t.step("missing value", () => {
    assert.throws(() => parseFlags(["-config"]), /flag needs an argument: -config/);
  });
  await t.step("positional argument", () => {
    assert.throws(() => parseFlags(["server"]), FlagError);
  });
  await t.step("bad log level", () => {
    assert.throws(() => parseFlags(["-loglevel", "loud"]), /invalid value "loud" for -loglevel/);
  });
});

Deno.test("parseFlags() keeps a value that starts with a dash", () => {
  assert.equal(parseFlags(["-del-user", "-weird"]).delUser, "-weird");
});

Deno.test("usage() lists every flag", () => {
  const text = usage();
  for (const name of ["init", "init-db", "add-user", "jwt", "server", "import-job", "loglevel"]) {
    assert.match(text, new RegExp(`-${name}\\b`));
  }
});
