import assert from "node:assert/strict";
import type { AuthUser } from "../../server/auth/auth_user.ts";
import { authLevel, isActive, navEntries, searchHelp } from "./nav_model.ts";

const CLUSTERS = [{ name: "fritz", subClusters: ["main", "spr1tb"] }, {
  name: "a&b",
  subClusters: [],
}];

function user(roles: string[], username = "alice"): AuthUser {
  return { username, roles, projects: [], authSource: 0, authType: "session" };
}

function titles(roles: string[]): string[] {
  return navEntries(user(roles), CLUSTERS).map((e) => e.title);
}

Deno.test("navEntries() shows the entries of the highest role, titled by level", () => {
  assert.deepEqual(titles(["api"]), []);
  assert.deepEqual(titles([]), []);
  assert.deepEqual(titles(["user"]), ["My Jobs", "Job Search", "Tags"]);
  assert.deepEqual(titles(["manager"]), [
    "My Jobs",
    "Managed Jobs",
    "Tags",
    "Managed Users",
    "Managed Projects",
  ]);
  assert.deepEqual(titles(["support"]), [
    "My Jobs",
    "Jobs",
    "Tags",
    "Users",
    "Projects",
    "Nodes",
    "Analysis",
  ]);
  assert.deepEqual(titles(["api", "admin"]), [
    "My Jobs",
    "Jobs",
    "Tags",
    "Users",
    "Projects",
    "Nodes",
    "Analysis",
    "Status",
    "Logs",
  ]);
});

Deno.test("navEntries() builds the per-cluster menus with encoded names", () => {
  const entries = navEntries(user(["admin"], "a b"), CLUSTERS);
  const byId = Object.fromEntries(entries.map((e) => [e.id, e]));
  assert.equal(byId.myjobs.href, "/monitoring/user/a%20b");
  assert.deepEqual(byId.users.sections?.[1], {
    header: "fritz",
    items: [
      { title: "All Jobs", href: "/monitoring/users/?cluster=fritz&startTime=last30d" },
      {
        title: "Running Jobs",
        href: "/monitoring/users/?cluster=fritz&state=running&startTime=last30d",
      },
    ],
  });
  assert.deepEqual(byId.nodes.sections?.[0].items.map((i) => i.href), [
    "/monitoring/systems/fritz",
    "/monitoring/systems/list/fritz",
    "/monitoring/systems/list/fritz/main",
    "/monitoring/systems/list/fritz/spr1tb",
  ]);
  assert.equal(byId.analysis.sections?.[0].items[1].href, "/monitoring/analysis/a%26b");
  assert.deepEqual(byId.status.sections?.[1].items.map((i) => i.href), [
    "/monitoring/status/a%26b",
    "/monitoring/status/detail/a%26b",
  ]);
});

Deno.test("isActive() marks the entry of the current page", () => {
  const entries = navEntries(user(["admin"]), CLUSTERS);
  const active = (path: string) => entries.filter((e) => isActive(e, path)).map((e) => e.id);
  assert.deepEqual(active("/monitoring/jobs/"), ["jobs"]);
  assert.deepEqual(active("/monitoring/job/12"), ["jobs"]);
  assert.deepEqual(active("/monitoring/user/alice"), ["myjobs"]);
  assert.deepEqual(active("/monitoring/users/"), ["users"]);
  assert.deepEqual(active("/monitoring/systems/list/fritz"), ["nodes"]);
  assert.deepEqual(active("/"), []);
});

Deno.test("authLevel() and searchHelp() follow the highest role", () => {
  assert.equal(authLevel(undefined), 0);
  assert.equal(authLevel(user(["bogus"])), 0);
  assert.equal(authLevel(user(["user", "support"])), 4);
  assert.match(searchHelp(user(["support"])), /username \| name/);
  assert.doesNotMatch(searchHelp(user(["manager"])), /username/);
});
