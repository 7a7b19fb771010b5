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
