import assert from "node:assert/strict";
import { sampleJob, withTempDb } from "./test_db.ts";
import { AUTH_SOURCES, JobRepository, UserRepository } from "./mod.ts";
import { SearchLookup } from "./search_lookup.ts";

Deno.test("SearchLookup finds job owners, projects and real names", async () => {
  await withTempDb(async (db) => {
    new JobRepository(db).insertJobs([sampleJob({ user: "alice", project: "p_1" })]);
    const users = new UserRepository(db);
    for (const [username, name] of [["alice", "Alice Smith"], ["al", "Al 100%"], ["bob", "Bob"]]) {
      await users.addUser({
        username,
        name,
        roles: ["user"],
        projects: [],
        authSource: AUTH_SOURCES.local,
      });
    }
    const lookup = new SearchLookup(db);
    assert.equal(lookup.hasJobsOfUser("alice"), true);
    assert.equal(lookup.hasJobsOfUser("bob"), false);
    assert.equal(lookup.hasJobsOfProject("p_1"), true);
    assert.equal(lookup.hasJobsOfProject("p%1"), false);
    assert.deepEqual(lookup.usernamesByName("al"), ["al", "alice"]);
    assert.deepEqual(lookup.usernamesByName("SMITH"), ["alice"]);
    // LIKE wildcards in the term match themselves.
    assert.deepEqual(lookup.usernamesByName("100%"), ["al"]);
    assert.deepEqual(lookup.usernamesByName("_"), []);
  });
});
