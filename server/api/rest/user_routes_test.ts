import assert from "node:assert/strict";
import { AUTH_SOURCES, UserRepository } from "../../db/mod.ts";
import { createTestSite, type TestSite } from "./test_app.ts";

const ADMIN = ["admin", "api"];

async function seedUsers(site: TestSite): Promise<UserRepository> {
  const users = new UserRepository(site.db);
  await users.addUser({ username: "bob", roles: ["user"], authSource: AUTH_SOURCES.local });
  await users.addUser({
    username: "mgr",
    roles: ["user", "manager"],
    projects: ["p1"],
    name: "Manager <M&M>",
    email: "mgr@example.org",
    authSource: AUTH_SOURCES.ldap,
  });
  await users.addUser({ username: "nobody-roles", roles: [], authSource: AUTH_SOURCES.local });
  return users;
}

async function expectError(res: Response, status: number, error: string): Promise<void> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.deepEqual(JSON.parse(text), { status: STATUS[status], error });
  assert.ok(text.startsWith('{"status":'), `key order: ${text}`);
}

const STATUS: Record<number, string> = {
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  413: "Request Entity Too Large",
  422: "Unprocessable Entity",
};

Deno.test("GET /api/users/ lists users for admins only", async (t) => {
  const site = await createTestSite();
  try {
    await seedUsers(site);

    await t.step("an api-only token gets 403", async () => {
      const res = await site.call("GET", "/api/users/");
      await expectError(res, 403, "only admins are allowed to fetch a list of users");
    });

    await t.step("admin+api gets every user in schema.User field order", async () => {
      const res = await site.call("GET", "/api/users/", { roles: ADMIN });
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.ok(text.endsWith("]\n"));
      assert.ok(text.includes("Manager \\u003cM\\u0026M\\u003e"), "Go's HTML escaping");
      const list = JSON.parse(text);
      assert.deepEqual(list.map((u: { username: string }) => u.username), [
        "bob",
        "mgr",
        "nobody-roles",
      ]);
      assert.deepEqual(Object.keys(list[1]), [
        "username",
        "name",
        "email",
        "roles",
        "projects",
        "authType",
        "authSource",
      ]);
      assert.deepEqual(list[0], {
        username: "bob",
        name: "",
        email: "",
        roles: ["user"],
        projects: [],
        authType: 0,
        authSource: 0,
      });
      assert.equal(list[1].authSource, 1);
    });

    await t.step("?not-just-user=true leaves out plain users and users without roles", async () => {
      const res = await site.call("GET", "/api/users/?not-just-user=true", { roles: ADMIN });
      const list = await res.json();
      assert.deepEqual(list.map((u: { username: string }) => u.username), ["mgr"]);
      const all = await site.call("GET", "/api/users/?not-just-user=yes", { roles: ADMIN });
      assert.equal((await all.json()).length, 3);
    });

    await t.step("no token is a 401, POST on the list a 405", async () => {
      const res = await site.call("GET", "/api/users/", { roles: null });
      assert.equal(res.status, 401);
      await res.body?.cancel();
      const post = await site.call("POST", "/api/users/", { roles: ADMIN, body: {} });
      assert.equal(post.status, 405);
      assert.equal(post.headers.get("allow"), "GET");
    });
  } finally {
    await site.close();
  }
});

Deno.test("POST /api/user/:id edits roles and projects with cc-backend's rules", async (t) => {
  const site = await createTestSite();
  try {
    const users = await seedUsers(site);
    const update = (id: string, body: unknown, roles = ADMIN) =>
      site.call("POST", `/api/user/${encodeURIComponent(id)}`, { roles, body });
    const ok = async (res: Response, msg: string) => {
      const text = await res.text();
      assert.equal(res.status, 200, text);
      assert.equal(text, JSON.stringify({ msg }) + "\n");
    };

    await t.step("an api-only token gets 403 before the body is read", async () => {
      await expectError(
        await update("bob", "not json", ["api"]),
        403,
        "only admins are allowed to update a user",
      );
    });

    await t.step("add-role adds a valid role, lowercased", async () => {
      await ok(await update("bob", { "add-role": "Support" }), "Add Role Success for user bob");
      assert.deepEqual(users.getUser("bob")?.roles, ["user", "support"]);
    });

    await t.step("add-role refuses duplicates and unknown roles", async () => {
      await expectError(
        await update("bob", { "add-role": "user" }),
        422,
        "adding role failed: user bob already has role user",
      );
      await expectError(
        await update("bob", { "add-role": "boss" }),
        422,
        "adding role failed: supplied role is no valid option : boss",
      );
      await expectError(
        await update("bob", { "add-role": "anonymous" }),
        422,
        "adding role failed: supplied role is no valid option : anonymous",
      );
      await expectError(
        await update("bob", { "add-role": "admin'; DROP TABLE hpc_user; --" }),
        422,
        "adding role failed: supplied role is no valid option : admin'; drop table hpc_user; --",
      );
      assert.deepEqual(users.getUser("bob")?.roles, ["user", "support"]);
    });

    await t.step("remove-role removes a held role and refuses one not held", async () => {
      await ok(
        await update("bob", { "remove-role": "support" }),
        "Remove Role Success for user bob",
      );
      assert.deepEqual(users.getUser("bob")?.roles, ["user"]);
      await expectError(
        await update("bob", { "remove-role": "admin" }),
        422,
        "removing role failed: role already deleted for user 'bob': admin",
      );
      await expectError(
        await update("bob", { "remove-role": "root" }),
        422,
        "removing role failed: supplied role is no valid option : root",
      );
    });

    await t.step("manager stays while projects are assigned", async () => {
      await expectError(
        await update("mgr", { "remove-role": "manager" }),
        422,
        "removing role failed: cannot remove role 'manager' while user mgr still has " +
          "assigned project(s) : [p1]",
      );
    });

    await t.step("projects only for managers, each once", async () => {
      await expectError(
        await update("bob", { "add-project": "p1" }),
        422,
        "adding project failed: user 'bob' is not a manager",
      );
      await expectError(
        await update("mgr", { "add-project": "p1" }),
        422,
        "adding project failed: user 'mgr' already manages project 'p1'",
      );
      await ok(
        await update("mgr", { "add-project": 'prøject "x" ✓' }),
        "Add Project Success for user mgr",
      );
      assert.deepEqual(users.getUser("mgr")?.projects, ["p1", 'prøject "x" ✓']);
      await expectError(
        await update("mgr", { "remove-project": "p9" }),
        422,
        "removing project failed: user 'mgr' does not manage project 'p9'",
      );
      await expectError(
        await update("bob", { "remove-project": "p1" }),
        422,
        "removing project failed: user 'bob' is not a manager",
      );
    });

    await t.step("after removing its projects a manager can lose the role", async () => {
      await ok(
        await update("mgr", { "remove-project": "p1" }),
        "Remove Project Success for user mgr",
      );
      await ok(
        await update("mgr", { "remove-project": 'prøject "x" ✓' }),
        "Remove Project Success for user mgr",
      );
      await ok(
        await update("mgr", { "remove-role": "manager" }),
        "Remove Role Success for user mgr",
      );
      assert.deepEqual(users.getUser("mgr"), {
        username: "mgr",
        name: "Manager <M&M>",
        email: "mgr@example.org",
        roles: ["user"],
        projects: [],
        authSource: 1,
      });
    });

    await t.step("only the first non-empty field is applied", async () => {
      await ok(
        await update("bob", { "add-role": "", "remove-role": "user", "add-project": "x" }),
        "Remove Role Success for user bob",
      );
      assert.deepEqual(users.getUser("bob")?.roles, []);
    });

    await t.step("no operation is a 400", async () => {
      const message =
        "no operation specified: must provide add-role, remove-role, add-project, or remove-project";
      await expectError(await update("bob", {}), 400, message);
      await expectError(
        await update("bob", { "add-role": "", "remove-project": "" }),
        400,
        message,
      );
    });

    await t.step("an unknown user is a 404 naming it", async () => {
      await expectError(
        await update("nobody", { "add-role": "user" }),
        404,
        'adding role failed: no user with username "nobody"',
      );
    });

    await t.step("usernames with SQL metacharacters and unicode are plain values", async () => {
      const odd = `o'brien"; DROP TABLE hpc_user; -- jürgen ✓`;
      await users.addUser({ username: odd, roles: ["user"], authSource: AUTH_SOURCES.local });
      await ok(await update(odd, { "add-role": "api" }), `Add Role Success for user ${odd}`);
      assert.deepEqual(users.getUser(odd)?.roles, ["user", "api"]);
      assert.equal(users.listUsers().length, 4);
    });

    await t.step("malformed bodies are 400s naming the problem", async () => {
      await expectError(
        await update("bob", { "add-role": "user", role: "x" }),
        400,
        'decoding request failed: json: unknown field "role"',
      );
      await expectError(
        await update("bob", { "add-role": ["user"] }),
        400,
        'decoding request failed: json: field "add-role": expected string, found array',
      );
      await expectError(await update("bob", ""), 400, "decoding request failed: EOF");
      await expectError(
        await update("bob", ["add-role"]),
        400,
        "decoding request failed: json: field: expected object, found array",
      );
      const res = await update("bob", "{bad");
      assert.equal(res.status, 400);
      assert.match((await res.json()).error, /^decoding request failed: invalid JSON: /);
    });

    await t.step("a body over 8 MiB is a 413", async () => {
      const huge = JSON.stringify({ "add-role": "x".repeat(9 * 1024 * 1024) });
      const res = await update("bob", huge);
      assert.equal(res.status, 413);
      assert.match((await res.json()).error, /^decoding request failed: request body/);
    });

    await t.step("GET on a user path is a 405", async () => {
      const res = await site.call("GET", "/api/user/bob", { roles: ADMIN });
      assert.equal(res.status, 405);
      assert.equal(res.headers.get("allow"), "POST");
    });
  } finally {
    await site.close();
  }
});
