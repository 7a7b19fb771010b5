import assert from "node:assert/strict";
import { AppError } from "../errors.ts";
import { withTempDb } from "./test_db.ts";
import { AUTH_SOURCES, hashPassword, UserRepository } from "./user_repository.ts";

Deno.test("checkPassword() verifies the fixture's Go bcrypt hash of user demo", async () => {
  await withTempDb(async (db) => {
    const users = new UserRepository(db);
    assert.deepEqual(users.getUser("demo"), {
      username: "demo",
      roles: ["admin", "api"],
      projects: [],
      authSource: AUTH_SOURCES.local,
    });
    assert.equal(await users.checkPassword("demo", "demo"), true);
    assert.equal(await users.checkPassword("demo", "Demo"), false);
    assert.equal(await users.checkPassword("nobody", "demo"), false);
  }, { fixture: true });
});

Deno.test("hashPassword() writes $2a$10$ hashes", async () => {
  const hash = await hashPassword("secret");
  assert.match(hash, /^\$2a\$10\$[./A-Za-z0-9]{53}$/);
  await assert.rejects(() => hashPassword("x".repeat(73)), /longer than 72 bytes/);
});

Deno.test("addUser() stores roles and projects as JSON and a verifiable hash", async () => {
  await withTempDb(async (db) => {
    const users = new UserRepository(db);
    const user = await users.addUser({
      username: "mgr",
      roles: ["manager", "user"],
      projects: ["p1", "p2"],
      password: "pw",
      name: "Manager",
      email: "mgr@example.org",
      authSource: AUTH_SOURCES.local,
    });
    assert.deepEqual(user, {
      username: "mgr",
      name: "Manager",
      email: "mgr@example.org",
      roles: ["manager", "user"],
      projects: ["p1", "p2"],
      authSource: 0,
    });
    const raw = db.prepare(
      "SELECT password, roles, projects, ldap FROM hpc_user WHERE username = 'mgr'",
    )
      .get();
    assert.equal(raw?.roles, '["manager","user"]');
    assert.equal(raw?.projects, '["p1","p2"]');
    assert.match(String(raw?.password), /^\$2a\$10\$/);
    assert.equal(await users.checkPassword("mgr", "pw"), true);
  });
});

Deno.test("addUser() without password stores no hash and never matches", async () => {
  await withTempDb(async (db) => {
    const users = new UserRepository(db);
    await users.addUser({ username: "bot", roles: ["api"], authSource: AUTH_SOURCES.token });
    assert.equal(
      db.prepare("SELECT password FROM hpc_user WHERE username = 'bot'").get()?.password,
      null,
    );
    assert.equal(await users.checkPassword("bot", ""), false);
    assert.equal(users.getUser("bot")?.authSource, 2);
  });
});

Deno.test("addUser() rejects duplicates and bad input, naming the username", async (t) => {
  await withTempDb(async (db) => {
    const users = new UserRepository(db);
    await t.step("duplicate", async () => {
      await assert.rejects(
        () => users.addUser({ username: "demo", roles: ["user"], authSource: 0 }),
        (error: unknown) => {
          assert.ok(error instanceof AppError);
          assert.equal(error.status, 422);
          assert.equal(
            error.message,
            'cannot add user "demo": a user with that username already exists',
          );
          return true;
        },
      );
    });
    await t.step("unknown role", async () => {
      await assert.rejects(
        () => users.addUser({ username: "x", roles: ["root"], authSource: 0 }),
        /cannot add user "x": unknown role "root"/,
      );
    });
    await t.step("empty username", async () => {
      await assert.rejects(
        () => users.addUser({ username: "", roles: [], authSource: 0 }),
        /username must be a non-empty string/,
      );
    });
    await t.step("NUL in username", async () => {
      await assert.rejects(
        () => users.addUser({ username: "a\0b", roles: [], authSource: 0 }),
        /must not contain NUL characters/,
      );
    });
    await t.step("invalid auth source", async () => {
      await assert.rejects(
        () => users.addUser({ username: "y", roles: [], authSource: 9 as 0 }),
        /cannot add user "y": invalid auth source 9/,
      );
    });
    assert.deepEqual(users.listUsers().map((u) => u.username), ["demo"]);
  }, { fixture: true });
});

Deno.test("addUser() keeps SQL metacharacters in names verbatim", async () => {
  await withTempDb(async (db) => {
    const users = new UserRepository(db);
    const username = `o'hara"; DROP TABLE hpc_user; --`;
    await users.addUser({ username, roles: ["user"], name: "%_'", authSource: 0, password: "a'b" });
    assert.equal(users.getUser(username)?.name, "%_'");
    assert.equal(await users.checkPassword(username, "a'b"), true);
    users.deleteUser(username);
    assert.equal(users.getUser(username), null);
  });
});

Deno.test("deleteUser() removes the user and their configuration, and names unknown users", async () => {
  await withTempDb((db) => {
    const users = new UserRepository(db);
    users.deleteUser("demo");
    assert.equal(users.getUser("demo"), null);
    assert.equal(db.prepare("SELECT COUNT(*) AS n FROM configuration").get()?.n, 0);
    assert.throws(() => users.deleteUser("demo"), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.status, 404);
      assert.equal(error.message, 'cannot delete user "demo": no such user');
      return true;
    });
  }, { fixture: true });
});

Deno.test("addRole()/removeRole()/addProject()/removeProject() follow cc-backend's rules", async (t) => {
  await withTempDb(async (db) => {
    const users = new UserRepository(db);
    await users.addUser({ username: "u", roles: ["user"], authSource: AUTH_SOURCES.local });
    const status = (fn: () => unknown): number => {
      try {
        fn();
      } catch (error) {
        assert.ok(error instanceof AppError, String(error));
        return error.status;
      }
      return 0;
    };

    await t.step("roles: valid names only, lowercased, no duplicates", () => {
      assert.deepEqual(users.addRole("u", "MANAGER").roles, ["user", "manager"]);
      assert.deepEqual(users.getUser("u")?.roles, ["user", "manager"]);
      assert.equal(status(() => users.addRole("u", "manager")), 422);
      assert.equal(status(() => users.addRole("u", "superuser")), 422);
      assert.equal(status(() => users.addRole("u", "")), 422);
      assert.throws(() => users.addRole("ghost", "user"), /no user with username "ghost"/);
      assert.equal(status(() => users.addRole("ghost", "user")), 404);
    });

    await t.step("projects: managers only, no duplicates, removal only of held ones", () => {
      assert.deepEqual(users.addProject("u", "p1").projects, ["p1"]);
      assert.deepEqual(users.addProject("u", "p2").projects, ["p1", "p2"]);
      assert.throws(() => users.addProject("u", "p1"), /already manages project 'p1'/);
      assert.throws(() => users.removeProject("u", "p3"), /does not manage project 'p3'/);
      assert.throws(
        () => users.removeRole("u", "manager"),
        /cannot remove role 'manager' while user u still has assigned project\(s\) : \[p1 p2\]/,
      );
      assert.deepEqual(users.removeProject("u", "p1").projects, ["p2"]);
      assert.deepEqual(users.removeProject("u", "p2").projects, []);
      assert.deepEqual(users.removeRole("u", "Manager").roles, ["user"]);
      assert.throws(() => users.addProject("u", "p1"), /user 'u' is not a manager/);
      assert.throws(() => users.removeProject("u", "p1"), /user 'u' is not a manager/);
      assert.throws(() => users.removeRole("u", "manager"), /role already deleted/);
    });

    await t.step("lists are stored as JSON arrays", () => {
      const row = db.prepare("SELECT roles, projects FROM hpc_user WHERE username = 'u'").get();
      assert.equal(row?.roles, '["user"]');
      assert.equal(row?.projects, "[]");
    });

    await t.step(
      "listUsers({ specialsOnly }) drops plain users and users without roles",
      async () => {
        await users.addUser({ username: "a", roles: ["admin"], authSource: AUTH_SOURCES.local });
        await users.addUser({ username: "n", roles: [], authSource: AUTH_SOURCES.local });
        assert.deepEqual(users.listUsers().map((x) => x.username), ["a", "n", "u"]);
        assert.deepEqual(users.listUsers({ specialsOnly: true }).map((x) => x.username), ["a"]);
      },
    );
  });
});

Deno.test("updateUser() replaces name, roles and projects and names unknown users", async () => {
  await withTempDb(async (db) => {
    const users = new UserRepository(db);
    await users.addUser({ username: "ldap1", roles: ["user"], authSource: AUTH_SOURCES.ldap });
    const updated = users.updateUser("ldap1", {
      name: "Lena Dap",
      roles: ["manager"],
      projects: ["p1"],
    });
    assert.deepEqual(updated, {
      username: "ldap1",
      name: "Lena Dap",
      roles: ["manager"],
      projects: ["p1"],
      authSource: AUTH_SOURCES.ldap,
    });
    assert.throws(() => users.updateUser("ldap1", { roles: ["boss"], projects: [] }), /boss/);
    assert.throws(() => users.updateUser("nobody", { roles: [], projects: [] }), /nobody/);
  });
});
