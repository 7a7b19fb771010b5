import assert from "node:assert/strict";
import { appendHints } from "./apply_tagging.ts";

Deno.test("appendHints() appends hint lines that are not in the message yet", () => {
  assert.equal(appendHints(undefined, ["a"]), "a");
  assert.equal(appendHints("", ["a", "b"]), "a\nb");
  assert.equal(appendHints("note", ["a"]), "note\na");
  assert.equal(appendHints("note\na", ["a", "b"]), "note\na\nb");
  assert.equal(appendHints("xa", ["a"]), "xa\na");
  assert.equal(appendHints("two\nlines\nz", ["two\nlines"]), "two\nlines\nz");
  assert.equal(appendHints("m", []), "m");
});
