import assert from "node:assert/strict";
import {
  canEditTag,
  matchesTerm,
  offersTag,
  parseTagTerm,
  scopeLabel,
  sortTags,
  tagClass,
} from "./job_tag_rules.ts";

const admin = { username: "ada", isAdmin: true, isSupport: false };
const support = { username: "sam", isAdmin: false, isSupport: true };
const user = { username: "alice", isAdmin: false, isSupport: false };
const SCOPES = ["global", "admin", "alice", "bob"];

Deno.test("canEditTag() and offersTag() follow cc-backend's tag scope rules", () => {
  const matrix = (f: typeof canEditTag, v: typeof admin) => SCOPES.map((scope) => f(v, { scope }));
  assert.deepEqual(matrix(canEditTag, admin), [true, true, true, true]);
  assert.deepEqual(matrix(canEditTag, support), [true, false, false, false]);
  assert.deepEqual(matrix(canEditTag, user), [false, false, true, false]);
  assert.deepEqual(matrix(offersTag, admin), [true, true, true, true]);
  assert.deepEqual(matrix(offersTag, support), [true, false, true, true]);
  assert.deepEqual(matrix(offersTag, user), [false, false, true, false]);
});

Deno.test("parseTagTerm() and matchesTerm() read the search box", () => {
  assert.deepEqual(parseTagTerm("app: gromacs"), { type: "app", name: "gromacs" });
  assert.deepEqual(parseTagTerm(" app :  my tag "), { type: "app", name: "my tag" });
  assert.equal(parseTagTerm("app:"), null);
  assert.equal(parseTagTerm("gromacs"), null);
  const tag = { type: "app", name: "Gromacs" };
  assert.ok(matchesTerm(tag, ""));
  assert.ok(matchesTerm(tag, "grom"));
  assert.ok(matchesTerm(tag, "app:"));
  assert.ok(matchesTerm(tag, "app: gro"));
  assert.ok(!matchesTerm(tag, "app: lam"));
  assert.ok(!matchesTerm(tag, "lammps"));
});

Deno.test("scopeLabel(), tagClass() and sortTags() present tags", () => {
  assert.equal(scopeLabel("global"), "Global Tag");
  assert.equal(scopeLabel("admin"), "Admin Tag");
  assert.equal(scopeLabel("alice"), "Private Tag");
  assert.equal(tagClass("admin"), "cc-tag-admin");
  assert.equal(tagClass("alice"), "cc-tag-private");
  assert.deepEqual(
    sortTags([{ type: "b", name: "a" }, { type: "a", name: "z" }, { type: "a", name: "b" }]),
    [{ type: "a", name: "b" }, { type: "a", name: "z" }, { type: "b", name: "a" }],
  );
});
