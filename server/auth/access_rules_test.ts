import assert from "node:assert/strict";
import type { AuthUser } from "./auth_user.ts";
import { canReadTagScope, canWriteTagScope } from "./tag_scope.ts";
import { canSeeJob, jobVisibilityCondition } from "./job_visibility.ts";

function user(roles: string[], projects: string[] = []): AuthUser {
  return { username: "alice", roles, projects, authSource: 0, authType: "token" };
}

Deno.test("canWriteTagScope() follows cc-backend's scope rules", () => {
  assert.equal(canWriteTagScope(user(["api"]), "admin"), true);
  assert.equal(canWriteTagScope(user(["api"]), "global"), true);
  assert.equal(canWriteTagScope(user(["api", "user"]), "global"), false);
  assert.equal(canWriteTagScope(user(["support"]), "global"), true);
  assert.equal(canWriteTagScope(user(["support"]), "admin"), false);
  assert.equal(canWriteTagScope(user(["admin"]), "admin"), true);
  assert.equal(canWriteTagScope(user(["user"]), "alice"), true);
  assert.equal(canWriteTagScope(user(["admin"]), "bob"), false);
});

Deno.test("canReadTagScope() hides admin and foreign private tags", () => {
  assert.equal(canReadTagScope(user(["user"]), "global"), true);
  assert.equal(canReadTagScope(user(["user"]), "admin"), false);
  assert.equal(canReadTagScope(user(["support"]), "admin"), true);
  assert.equal(canReadTagScope(user(["user"]), "alice"), true);
  assert.equal(canReadTagScope(user(["admin"]), "bob"), false);
});

Deno.test("jobVisibilityCondition() and canSeeJob() agree per role", () => {
  assert.equal(jobVisibilityCondition(user(["api"])), null);
  assert.equal(jobVisibilityCondition(user(["support", "user"])), null);
  assert.deepEqual(jobVisibilityCondition(user(["user"])), {
    sql: "job.hpc_user = ?",
    params: ["alice"],
  });
  assert.deepEqual(jobVisibilityCondition(user(["manager"], ["p1", "p2"])), {
    sql: "(job.project IN (?, ?) OR job.hpc_user = ?)",
    params: ["p1", "p2", "alice"],
  });
  assert.deepEqual(jobVisibilityCondition(user(["manager"])), {
    sql: "job.hpc_user = ?",
    params: ["alice"],
  });
  assert.throws(() => jobVisibilityCondition(user([])), /user has no or unknown roles/);
  const other = { user: "bob", project: "p1" };
  assert.equal(canSeeJob(user(["user"]), other), false);
  assert.equal(canSeeJob(user(["manager"], ["p1"]), other), true);
  assert.equal(canSeeJob(user(["api"]), other), true);
  assert.equal(canSeeJob(user(["api", "user"]), other), false);
});
