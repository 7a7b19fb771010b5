import assert from "node:assert/strict";
import { decodeJwt } from "jose";
import { UserConfigRepository } from "../../server/db/mod.ts";
import type { TaggerControl } from "../../server/tagger/mod.ts";
import { type AuthSite, sessionCookie, withAuthSite } from "./auth_site.ts";

async function signIn(site: AuthSite, username: string, roles: string[]): Promise<string> {
  await site.addLocalUser(username, `${username}-pw`, roles);
  const res = await site.login({ username, password: `${username}-pw` }, {
    "X-Real-Ip": `10.0.0.${Math.floor(Math.random() * 250)}`,
  });
  const cookie = sessionCookie(res);
  assert.ok(cookie, `login of ${username} failed: ${res.status}`);
  return cookie;
}

function form(method: string, fields: Record<string, string>, cookie: string): RequestInit & {
  cookie: string;
} {
  return { method, body: new URLSearchParams(fields), cookie };
}

Deno.test("/config: users, roles, projects and the notice (admin session)", async (t) => {
  await withAuthSite({}, async (site) => {
    const admin = await signIn(site, "root", ["admin"]);

    await t.step("GET /config/roles/", async () => {
      const res = await site.request("/config/roles/", { cookie: admin });
      assert.equal(await res.text(), '["api","user","manager","support","admin"]\n');
    });

    await t.step("POST /config/users/ creates a local account that can sign in", async () => {
      const res = await site.request(
        "/config/users/",
        form("POST", {
          username: "mia",
          password: "mia-pw",
          role: "manager",
          project: "p1",
          name: "Mia",
          email: "mia@example.org",
        }, admin),
      );
      assert.equal(res.status, 200);
      assert.equal(await res.text(), "User mia successfully created!\n");
      assert.deepEqual(site.users.getUser("mia"), {
        username: "mia",
        name: "Mia",
        email: "mia@example.org",
        roles: ["manager"],
        projects: ["p1"],
        authSource: 0,
      });
      const login = await site.login({ username: "mia", password: "mia-pw" });
      assert.equal(login.status, 302);
    });

    await t.step("createUser's validations", async () => {
      const cases: [Record<string, string>, number, string][] = [
        [{ username: "", password: "x", role: "user" }, 400, "username must be between 1 and 100"],
        [{ username: "n", password: "", role: "user" }, 400, "only API users are allowed"],
        [{ username: "n", password: "x", role: "user", project: "p" }, 400, "only managers"],
        [{ username: "n", password: "x", role: "manager" }, 400, "managers require a project"],
        [{ username: "n", password: "x", role: "boss" }, 422, "adding user failed: "],
        [{ username: "mia", password: "x", role: "user" }, 422, "already exists"],
      ];
      for (const [fields, status, message] of cases) {
        const res = await site.request("/config/users/", form("POST", fields, admin));
        assert.equal(res.status, status, JSON.stringify(fields));
        assert.ok((await res.json()).error.includes(message), message);
      }
      const api = await site.request(
        "/config/users/",
        form("PUT", { username: "bot", password: "", role: "api" }, admin),
      );
      assert.equal(api.status, 200);
    });

    await t.step("GET /config/users/ lists accounts in cc-lib's shape", async () => {
      const all = await (await site.request("/config/users/", { cookie: admin })).json();
      assert.deepEqual(all.map((u: { username: string }) => u.username), ["bot", "mia", "root"]);
      assert.deepEqual(all[1], {
        username: "mia",
        name: "Mia",
        email: "mia@example.org",
        roles: ["manager"],
        projects: ["p1"],
        authType: 0,
        authSource: 0,
      });
    });

    await t.step("POST /config/user/{id} changes roles and projects", async () => {
      const cases: [Record<string, string>, number, string][] = [
        [{ "add-role": "support" }, 200, '{"msg":"Add Role Success"}'],
        [{ "add-project": "p2" }, 200, '{"msg":"Add Project Success"}'],
        [{ "remove-project": "p1" }, 200, '{"msg":"Remove Project Success"}'],
        [{ "remove-role": "support" }, 200, '{"msg":"Remove Role Success"}'],
        [{ "remove-role": "manager" }, 422, "cannot remove role 'manager'"],
        [{ "add-role": "boss" }, 422, "supplied role is no valid option"],
        [{}, 400, "no operation specified"],
      ];
      for (const [fields, status, expected] of cases) {
        const res = await site.request("/config/user/mia", form("POST", fields, admin));
        assert.equal(res.status, status, JSON.stringify(fields));
        assert.ok((await res.text()).includes(expected), expected);
      }
      assert.deepEqual(site.users.getUser("mia")?.projects, ["p2"]);
      const unknown = await site.request(
        "/config/user/nobody",
        form("POST", { "add-role": "user" }, admin),
      );
      assert.equal(unknown.status, 404);
    });

    await t.step("DELETE /config/users/ removes an account (unknown ones too: 200)", async () => {
      const res = await site.request("/config/users/", form("DELETE", { username: "bot" }, admin));
      assert.equal(res.status, 200);
      assert.equal(site.users.getUser("bot"), null);
      const again = await site.request("/config/users/?username=bot", {
        method: "DELETE",
        cookie: admin,
      });
      assert.equal(again.status, 200);
    });

    await t.step("POST /config/notice/ writes var/notice.txt", async () => {
      let res = await site.request(
        "/config/notice/",
        form("POST", { "new-content": "Maintenance on Monday" }, admin),
      );
      assert.equal(await res.text(), "Update Notice Content Success");
      assert.equal(await Deno.readTextFile(`${site.dir}/var/notice.txt`), "Maintenance on Monday");
      res = await site.request("/config/notice/", form("POST", { "new-content": "" }, admin));
      assert.equal(await res.text(), "Empty Notice Content Success");
      assert.equal(await Deno.readTextFile(`${site.dir}/var/notice.txt`), "");
      res = await site.request(
        "/config/notice/",
        form("POST", { "new-content": "x".repeat(10_001) }, admin),
      );
      assert.equal(res.status, 400);
      assert.match((await res.json()).error, /exceeds maximum length of 10000/);
    });

    await t.step(
      "unknown /config/ paths answer the JSON 404; GET /config is the page",
      async () => {
        const res = await site.request("/config/nothing", { cookie: admin });
        assert.equal(res.status, 404);
        assert.equal((await res.json()).status, "Resource not found");
        const page = await site.request("/config", { cookie: admin });
        assert.equal((await page.json()).page, "config");
        const wrongMethod = await site.request("/config/roles/", { method: "POST", cookie: admin });
        assert.equal(wrongMethod.status, 405);
      },
    );
  });
});

Deno.test("/frontend: tokens, UI settings and the log viewer", async (t) => {
  const fake = await Deno.makeTempFile({ prefix: "fake-journalctl-", suffix: ".sh" });
  await Deno.writeTextFile(
    fake,
    `#!/bin/sh
echo "$@" > "${fake}.args"
echo '{"__REALTIME_TIMESTAMP":"1700000000000000","PRIORITY":"3","MESSAGE":"disk full","_SYSTEMD_UNIT":"clustercockpit.service"}'
echo '{"__REALTIME_TIMESTAMP":"1700000001000000","PRIORITY":"6","MESSAGE":[104,105],"_SYSTEMD_UNIT":"clustercockpit.service"}'
`,
  );
  await Deno.chmod(fake, 0o755);
  try {
    await withAuthSite({ journalctl: fake }, async (site) => {
      const admin = await signIn(site, "root", ["admin"]);
      const apiUser = await signIn(site, "ann", ["user", "api"]);
      const plainUser = await signIn(site, "ben", ["user"]);

      await t.step("GET /frontend/jwt/: admins for anyone", async () => {
        const res = await site.request("/frontend/jwt/?username=ann", { cookie: admin });
        assert.equal(res.status, 200);
        const claims = decodeJwt(await res.text());
        assert.equal(claims.sub, "ann");
        assert.deepEqual(claims.roles, ["user", "api"]);
        assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), 3600);
        const unknown = await site.request("/frontend/jwt/?username=zed", { cookie: admin });
        assert.equal(unknown.status, 404);
      });

      await t.step("GET /frontend/jwt/: others only for themselves, with role api", async () => {
        const own = await site.request("/frontend/jwt/?username=ann", { cookie: apiUser });
        assert.equal(own.status, 200);
        const other = await site.request("/frontend/jwt/?username=root", { cookie: apiUser });
        assert.equal(other.status, 403);
        assert.match((await other.json()).error, /only admins are allowed to sign JWTs/);
        const noApi = await site.request("/frontend/jwt/?username=ben", { cookie: plainUser });
        assert.equal(noApi.status, 403);
        assert.match((await noApi.json()).error, /api role/);
      });

      await t.step("POST /frontend/configuration/ stores the user's setting", async () => {
        const res = await site.request(
          "/frontend/configuration/",
          form("POST", { key: "job_list_usePaging", value: "true" }, plainUser),
        );
        assert.equal(res.status, 200);
        assert.equal(await res.text(), "success");
        assert.equal(
          new UserConfigRepository(site.db).getConfig("ben", "job_list_usePaging"),
          true,
        );
        const bad = await site.request(
          "/frontend/configuration/",
          form("POST", { key: "x", value: "{not json" }, plainUser),
        );
        assert.equal(bad.status, 400);
        const noKey = await site.request(
          "/frontend/configuration/",
          form("POST", { value: "1" }, plainUser),
        );
        assert.equal(noKey.status, 400);
      });

      await t.step("GET /frontend/logs/: admins only, journalctl's JSON", async () => {
        const denied = await site.request("/frontend/logs/", { cookie: plainUser });
        assert.equal(denied.status, 403);
        const res = await site.request("/frontend/logs/?lines=5000&level=3&search=disk", {
          cookie: admin,
        });
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), [
          {
            timestamp: "1700000000000000",
            priority: 3,
            message: "disk full",
            unit: "clustercockpit.service",
          },
          {
            timestamp: "1700000001000000",
            priority: 6,
            message: "hi",
            unit: "clustercockpit.service",
          },
        ]);
        assert.equal(
          (await Deno.readTextFile(`${fake}.args`)).trim(),
          "--output=json --no-pager -n 1000 --since 1 hour ago -u clustercockpit.service " +
            "--priority 3 --grep disk",
        );
        for (const query of ["since=$(reboot)", "lines=0", "level=9", "search=a;b"]) {
          const bad = await site.request(`/frontend/logs/?${query}`, { cookie: admin });
          assert.equal(bad.status, 400, query);
        }
      });
    });

    await withAuthSite({ journalctl: "/nonexistent/journalctl" }, async (site) => {
      const admin = await signIn(site, "root", ["admin"]);
      await t.step("without journalctl: a clear 503", async () => {
        const res = await site.request("/frontend/logs/", { cookie: admin });
        assert.equal(res.status, 503);
        assert.match((await res.json()).error, /is not installed on this host/);
      });
    });
  } finally {
    await Deno.remove(fake);
    await Deno.remove(`${fake}.args`).catch(() => {});
  }
});

Deno.test("/config/taggers/ is served behind the admin guard", async () => {
  const taggers = {
    list: () => [{ name: "AppTagger", type: "start", running: false }],
    start: () => Promise.resolve(null),
  } as unknown as TaggerControl;
  await withAuthSite({ taggers }, async (site) => {
    const admin = await signIn(site, "root", ["admin"]);
    const user = await signIn(site, "ulla", ["user"]);
    const list = await site.request("/config/taggers/", { cookie: admin });
    assert.equal(list.status, 200);
    assert.deepEqual(await list.json(), [{ name: "AppTagger", type: "start", running: false }]);
    const denied = await site.request("/config/taggers/", { cookie: user });
    assert.equal(denied.status, 401);
    await denied.body?.cancel();
    const run = await site.request(
      "/config/taggers/run/",
      form("POST", { name: "AppTagger" }, admin),
    );
    assert.equal(await run.text(), "Tagger AppTagger started");
  });
});
