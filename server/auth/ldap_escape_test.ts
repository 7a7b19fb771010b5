import assert from "node:assert/strict";
import { escapeDnValue, escapeFilterValue } from "./ldap_escape.ts";

Deno.test("escapeFilterValue() neutralises filter syntax", () => {
  assert.equal(escapeFilterValue("alice"), "alice");
  assert.equal(escapeFilterValue("*)(uid=*"), "\\2a\\29\\28uid=\\2a");
  assert.equal(escapeFilterValue("a\\b\u0000"), "a\\5cb\\00");
});

Deno.test("escapeDnValue() neutralises DN syntax", () => {
  assert.equal(escapeDnValue("alice"), "alice");
  assert.equal(escapeDnValue("x,ou=admins"), "x\\,ou\\=admins");
  assert.equal(escapeDnValue(" #lead"), "\\ #lead");
  assert.equal(escapeDnValue("#lead"), "\\#lead");
  assert.equal(escapeDnValue("trail "), "trail\\ ");
  assert.equal(escapeDnValue('a+b"c<d>e;f\\'), 'a\\+b\\"c\\<d\\>e\\;f\\\\');
});
