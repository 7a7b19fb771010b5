import assert from "node:assert/strict";
import { oidcProjects, oidcRoles } from "./oidc_roles.ts";

Deno.test("oidcRoles() maps realm and client roles, never api", () => {
  assert.deepEqual(
    oidcRoles({
      realm_access: { roles: ["offline_access", "manager", "api"] },
      resource_access: { "cc-backend": { roles: ["admin", "manager"] }, other: { roles: [7] } },
    }),
    ["manager", "admin"],
  );
  assert.deepEqual(oidcRoles({ realm_access: { roles: ["api"] } }), ["user"]);
  assert.deepEqual(oidcRoles({ realm_access: "admin", resource_access: null }), ["user"]);
  assert.deepEqual(oidcRoles({}), ["user"]);
});

Deno.test("oidcProjects() reads the string-array claim", () => {
  assert.deepEqual(oidcProjects({ projects: ["p1", 2, "p2"] }), ["p1", "p2"]);
  assert.deepEqual(oidcProjects({ projects: "p1" }), []);
});
