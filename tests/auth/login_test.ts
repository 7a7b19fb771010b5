import assert from "node:assert/strict";
import { createAuthSite, sessionCookie, setCookieLine, withAuthSite } from "./auth_site.ts";

Deno.test("POST /login signs local accounts in with a session cookie", async (t) => {
  await withAuthSite({}, async (site) => {
    await site.addLocalUser("alice", "alice-pw", ["user"]);

    await t.step("success: 302 to / with an HttpOnly, SameSite=Lax session cookie", async () => {
      const res = await site.login({ username: "alice", password: "alice-pw" });
      assert.equal(res.status, 302);
      assert.equal(res.headers.get("Location"), "/");
      const line = setCookieLine(res, "session") ?? "";
      assert.match(line, /; Max-Age=604800/);
      assert.match(line, /; Path=\//);
      assert.match(line, /; HttpOnly/);
      assert.match(line, /; SameSite=Lax/);
      assert.doesNotMatch(line, /Secure/);
    });

    await t.step("the cookie is Secure behind X-Forwarded-Proto: https", async () => {
      const res = await site.login({ username: "alice", password: "alice-pw" }, {
        "X-Forwarded-Proto": "https",
        "X-Real-Ip": "10.9.9.9",
      });
      assert.match(setCookieLine(res, "session") ?? "", /; Secure/);
    });

    await t.step("a relative redirect is followed, another host is refused", async () => {
      const ip = { "X-Real-Ip": "10.0.0.2" };
      let res = await site.login(
        { username: "alice", password: "alice-pw", redirect: "/monitoring/jobs/?state=running" },
        ip,
      );
      assert.equal(res.headers.get("Location"), "/monitoring/jobs/?state=running");
      for (const redirect of ["https://evil.example/", "//evil.example/", "/\\evil.example"]) {
        res = await site.login({ username: "alice", password: "alice-pw", redirect }, ip);
        assert.equal(res.status, 302);
        assert.equal(res.headers.get("Location"), "/", redirect);
      }
    });

    await t.step("wrong password and unknown user get the same 401 login page", async () => {
      const ip = { "X-Real-Ip": "10.0.0.3" };
      const wrong = await site.login({ username: "alice", password: "nope" }, ip);
      const unknown = await site.login({ username: "mallory", password: "nope" }, ip);
      for (const res of [wrong, unknown]) {
        assert.equal(res.status, 401);
        assert.equal(sessionCookie(res), undefined);
        const html = await res.text();
        assert.match(html, /Authentication failed/);
        assert.match(html, /<form action="\/login" method="post">/);
      }
      const empty = await site.login({ username: "alice", password: "" }, ip);
      assert.equal(empty.status, 401);
    });

    await t.step("the session opens guarded pages and /query", async () => {
      const cookie = sessionCookie(
        await site.login({ username: "alice", password: "alice-pw" }, {
          "X-Real-Ip": "10.0.0.4",
        }),
      );
      const page = await site.request("/monitoring/jobs/", { cookie });
      assert.equal(page.status, 200);
      const body = await page.json();
      assert.equal(body.user.username, "alice");
      assert.deepEqual(body.user.roles, ["user"]);
      assert.equal(body.user.authType, "session");
      const query = await site.request("/query", { method: "POST", cookie });
      assert.equal(query.status, 200);
    });

    await t.step("POST /logout expires the cookie and says so", async () => {
      const res = await site.request("/logout", { method: "POST" });
      assert.equal(res.status, 200);
      assert.match(setCookieLine(res, "session") ?? "", /^session=; Max-Age=0/);
      assert.match(await res.text(), /Logout successful/);
    });
  });
});

Deno.test("the login form is rate-limited per client address and username", async () => {
  await withAuthSite({}, async (site) => {
    await site.addLocalUser("bob", "bob-pw");
    const from = (ip: string) => ({ "X-Real-Ip": ip });
    for (let i = 0; i < 5; i++) {
      const res = await site.login({ username: "bob", password: `guess-${i}` }, from("10.1.1.1"));
      assert.equal(res.status, 401);
    }
    const blocked = await site.login({ username: "bob", password: "bob-pw" }, from("10.1.1.1"));
    assert.equal(blocked.status, 429);
    assert.equal(blocked.headers.get("Retry-After"), "180");
    assert.match(await blocked.text(), /too many login attempts, try again in a few minutes/);
    // Another address, or the same address for another name, is not affected.
    const other = await site.login({ username: "bob", password: "bob-pw" }, from("10.1.1.2"));
    assert.equal(other.status, 302);
    site.advance(3 * 60 * 1000);
    const later = await site.login({ username: "bob", password: "bob-pw" }, from("10.1.1.1"));
    assert.equal(later.status, 302);
  });
});

Deno.test("guards: pages get the login page, APIs the JSON 401", async (t) => {
  await withAuthSite({}, async (site) => {
    await site.addLocalUser("carol", "carol-pw", ["user"]);

    await t.step("a page without session: 401 login page keeping the URL", async () => {
      const res = await site.request("/monitoring/jobs/?state=running&cluster=fritz");
      assert.equal(res.status, 401);
      const html = await res.text();
      assert.match(html, /unauthorized \(please login first\)/);
      assert.match(
        html,
        /name="redirect" value="\/monitoring\/jobs\/\?state=running&amp;cluster=fritz"/,
      );
    });

    await t.step("/query without session: JSON 401", async () => {
      const res = await site.request("/query", { method: "POST" });
      assert.equal(res.status, 401);
      assert.equal(
        await res.text(),
        '{"error":"unauthorized (please login first)","status":"Unauthorized"}\n',
      );
    });

    await t.step("an API token in the header works on pages and /query", async () => {
      const token = await site.apiToken("api-bot", ["api"]);
      const res = await site.request("/query", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 200);
      assert.equal((await res.json()).data.user.authType, "token");
      const page = await site.request("/monitoring/jobs/", { headers: { "X-Auth-Token": token } });
      assert.equal(page.status, 200);
    });

    await t.step("an invalid token is a 401 with the reason", async () => {
      const page = await site.request("/monitoring/jobs/", {
        headers: { "X-Auth-Token": "x.y.z" },
      });
      assert.equal(page.status, 401);
      assert.match(await page.text(), /^token is malformed/);
      const query = await site.request("/query", {
        method: "POST",
        headers: { "X-Auth-Token": "x.y.z" },
      });
      assert.equal(query.status, 401);
      assert.match((await query.json()).error, /^token is malformed/);
    });

    await t.step("/config/* needs an admin session, /frontend/* any session", async () => {
      const cookie = sessionCookie(await site.login({ username: "carol", password: "carol-pw" }));
      const none = await site.request("/config/users/");
      assert.equal(none.status, 401);
      assert.equal((await none.json()).error, "unauthorized (login first or use a token)");
      const user = await site.request("/config/users/", { cookie });
      assert.equal(user.status, 401);
      assert.equal((await user.json()).error, "unauthorized");
      // Tokens do not open the session-only groups.
      const token = await site.apiToken("carol", ["admin", "api"]);
      const byToken = await site.request("/config/users/", { headers: { "X-Auth-Token": token } });
      assert.equal(byToken.status, 401);
      site.users.addRole("carol", "admin");
      // Roles come from the database on each request: the change applies at once.
      const admin = await site.request("/config/users/", { cookie });
      assert.equal(admin.status, 200);
      const frontend = await site.request("/frontend/configuration/", {
        method: "POST",
        cookie,
        body: new URLSearchParams({ key: "plot_list_selectedMetrics", value: '["flops_any"]' }),
      });
      assert.equal(frontend.status, 200);
    });

    await t.step("a deleted account's session stops working", async () => {
      await site.addLocalUser("dave", "dave-pw");
      const cookie = sessionCookie(
        await site.login({ username: "dave", password: "dave-pw" }, { "X-Real-Ip": "10.7.7.7" }),
      );
      assert.equal((await site.request("/monitoring/jobs/", { cookie })).status, 200);
      site.users.deleteUser("dave");
      const res = await site.request("/monitoring/jobs/", { cookie });
      assert.equal(res.status, 401);
      assert.match(setCookieLine(res, "session") ?? "", /^session=; Max-Age=0/);
    });
  });
});

Deno.test("bad session cookies are refused and cleared", async (t) => {
  await withAuthSite({ main: { "session-max-age": "2h" } }, async (site) => {
    await site.addLocalUser("erin", "erin-pw", ["admin"]);
    const cookie = sessionCookie(await site.login({ username: "erin", password: "erin-pw" }));
    assert.ok(cookie);
    const value = cookie.slice("session=".length);
    const [payload, mac] = value.split(".");

    async function refused(cookieHeader: string) {
      const res = await site.request("/monitoring/jobs/", { cookie: cookieHeader });
      assert.equal(res.status, 401, cookieHeader.slice(0, 80));
      assert.match(await res.text(), /please login first/);
      return res;
    }

    await t.step("a tampered signature or payload", async () => {
      const other = mac.startsWith("A") ? `B${mac.slice(1)}` : `A${mac.slice(1)}`;
      const res = await refused(`session=${payload}.${other}`);
      assert.match(setCookieLine(res, "session") ?? "", /^session=; Max-Age=0/);
      const forged = btoa(JSON.stringify({ sub: "erin", src: 0, iat: 0, exp: 9e12 }))
        .replace(/=+$/, "");
      await refused(`session=${forged}.${mac}`);
    });

    await t.step("oversized and malformed cookies", async () => {
      await refused(`session=${"A".repeat(10_000)}.${mac}`);
      await refused("session=%E0%A4%A");
      await refused("session=");
      await refused('session="unterminated');
      await refused(`session=${payload}`);
      await refused(";;;=;session;");
    });

    await t.step("a cookie signed with another SESSION_KEY", async () => {
      const other = await createAuthSite();
      try {
        await other.addLocalUser("erin", "erin-pw", ["admin"]);
        const foreign = sessionCookie(
          await other.login({ username: "erin", password: "erin-pw" }),
        );
        await refused(foreign ?? "");
      } finally {
        await other.close();
      }
    });

    await t.step("an expired session (session-max-age 2h)", async () => {
      assert.equal((await site.request("/monitoring/jobs/", { cookie })).status, 200);
      site.advance(2 * 3600 * 1000);
      await refused(cookie);
    });
  });
});

Deno.test("createAuthentication() refuses to run without SESSION_KEY", async () => {
  await assert.rejects(() => createAuthSite({ noSessionKey: true }), /SESSION_KEY is not set/);
});

Deno.test("disable-authentication lets everyone in as an anonymous admin, without /login", async () => {
  await withAuthSite(
    { main: { "disable-authentication": true }, noSessionKey: true },
    async (site) => {
      const page = await site.request("/monitoring/jobs/");
      assert.equal(page.status, 200);
      assert.deepEqual((await page.json()).user.roles, ["admin"]);
      assert.equal((await site.request("/config/roles/")).status, 200);
      assert.equal((await site.login({ username: "x", password: "y" })).status, 404);
    },
  );
});

Deno.test("oversized and odd login forms are refused without harm", async () => {
  await withAuthSite({}, async (site) => {
    const big = await site.login({ username: "x", password: "y".repeat(100_000) });
    assert.equal(big.status, 413);
    await big.body?.cancel();
    const longName = await site.login({ username: "n".repeat(5000), password: "p" });
    assert.equal(longName.status, 401);
    await longName.body?.cancel();
    const json = await site.request("/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"username":"a","password":"b"}',
    });
    assert.equal(json.status, 401);
    await json.body?.cancel();
    const broken = await site.request("/login", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=x" },
      body: "--x\r\nnot a part",
    });
    assert.equal(broken.status, 401);
    await broken.body?.cancel();
  });
});
