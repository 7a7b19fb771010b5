import assert from "node:assert/strict";
import { AUTH_SOURCES } from "../../server/db/mod.ts";
import { type AuthSite, sessionCookie, setCookieLine, withAuthSite } from "./auth_site.ts";
import { startTestProvider, type TestProvider } from "./oidc_provider.ts";

/** The `name=value` pairs a response sets, as one Cookie header. */
function cookiesOf(res: Response): string {
  return res.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
}

/** /oidc-login → provider → the callback URL it sends the browser to, and the cookies set. */
async function authorize(site: AuthSite): Promise<{ callback: URL; cookies: string }> {
  const start = await site.request("/oidc-login");
  assert.equal(start.status, 302);
  const cookies = cookiesOf(start);
  const atProvider = await fetch(start.headers.get("Location")!, { redirect: "manual" });
  await atProvider.body?.cancel();
  assert.equal(atProvider.status, 302, "the provider approves at once");
  return { callback: new URL(atProvider.headers.get("Location")!), cookies };
}

async function callback(site: AuthSite, url: URL, cookies: string): Promise<Response> {
  return await site.request(url.pathname + url.search, { cookie: cookies });
}

async function failsWith(res: Response, status: number, pattern: RegExp): Promise<void> {
  assert.equal(res.status, status);
  assert.equal(sessionCookie(res), undefined);
  assert.match(await res.text(), pattern);
}

Deno.test("OIDC login end to end against a test provider", async (t) => {
  const provider: TestProvider = await startTestProvider();
  try {
    const options = {
      auth: { oidc: { provider: provider.issuer, "sync-user-on-login": true } },
      env: { OID_CLIENT_ID: provider.clientId, OID_CLIENT_SECRET: provider.clientSecret },
    };
    await withAuthSite(options, async (site) => {
      await t.step("/oidc-login sets state, nonce and PKCE verifier cookies", async () => {
        const res = await site.request("/oidc-login");
        assert.equal(res.status, 302);
        const location = new URL(res.headers.get("Location")!);
        assert.equal(location.origin + location.pathname, `${provider.issuer}/authorize`);
        const q = location.searchParams;
        assert.equal(q.get("client_id"), provider.clientId);
        assert.equal(q.get("scope"), "openid profile roles");
        assert.equal(q.get("code_challenge_method"), "S256");
        assert.equal(q.get("redirect_uri"), "http://localhost/oidc-callback");
        assert.equal(q.get("access_type"), "offline");
        for (const name of ["state", "nonce", "verifier"]) {
          const line = setCookieLine(res, name) ?? "";
          assert.match(line, /; Max-Age=3600; Path=\/oidc-callback; HttpOnly; SameSite=Lax/, name);
        }
        assert.equal(q.get("state"), /state=([^;]+)/.exec(cookiesOf(res))?.[1]);
        await res.body?.cancel();
      });

      await t.step("the callback signs the user in with mapped roles and projects", async () => {
        provider.user = {
          sub: "u-42",
          preferredUsername: "olivia",
          name: "Olivia Owens",
          claims: {
            realm_access: { roles: ["offline_access", "manager"] },
            resource_access: { "cc-backend": { roles: ["support", "api"] } },
            projects: ["p-astro", "p-bio"],
          },
        };
        const { callback: url, cookies } = await authorize(site);
        const res = await callback(site, url, cookies);
        assert.equal(res.status, 307);
        assert.equal(res.headers.get("Location"), "/");
        const session = sessionCookie(res);
        assert.ok(session);
        assert.match(setCookieLine(res, "state") ?? "", /Max-Age=0/);
        const { user } = await (await site.request("/monitoring/jobs/", { cookie: session }))
          .json();
        assert.equal(user.username, "olivia");
        assert.deepEqual(user.roles, ["manager", "support"]);
        assert.deepEqual(user.projects, ["p-astro", "p-bio"]);
        assert.equal(user.authSource, AUTH_SOURCES.oidc);
        // sync-user-on-login stored the account.
        assert.deepEqual(site.users.getUser("olivia"), {
          username: "olivia",
          name: "Olivia Owens",
          roles: ["manager", "support"],
          projects: ["p-astro", "p-bio"],
          authSource: AUTH_SOURCES.oidc,
        });
      });

      await t.step("without role claims the user gets role user", async () => {
        provider.user = { sub: "u-7", preferredUsername: "pete" };
        const { callback: url, cookies } = await authorize(site);
        const res = await callback(site, url, cookies);
        const { user } = await (await site.request("/monitoring/jobs/", {
          cookie: sessionCookie(res),
        })).json();
        assert.deepEqual(user.roles, ["user"]);
      });

      await t.step("a forged nonce is refused", async () => {
        provider.tamper = { nonce: "forged-nonce" };
        const { callback: url, cookies } = await authorize(site);
        await failsWith(await callback(site, url, cookies), 400, /nonce did not match/);
      });

      await t.step("an ID token for another audience is refused", async () => {
        provider.tamper = { aud: "another-client" };
        const { callback: url, cookies } = await authorize(site);
        await failsWith(await callback(site, url, cookies), 401, /Failed to verify ID Token/);
      });

      await t.step("an ID token signed with an unknown key is refused", async () => {
        provider.tamper = { foreignKey: true };
        const { callback: url, cookies } = await authorize(site);
        await failsWith(await callback(site, url, cookies), 401, /signature verification failed/);
      });

      await t.step("an expired ID token is refused", async () => {
        provider.tamper = { expiresIn: -600 };
        const { callback: url, cookies } = await authorize(site);
        await failsWith(await callback(site, url, cookies), 401, /expiration is past/);
      });

      await t.step("state and cookies must match", async () => {
        provider.tamper = {};
        const { callback: url, cookies } = await authorize(site);
        const wrongState = new URL(url);
        wrongState.searchParams.set("state", "attacker-state");
        await failsWith(await callback(site, wrongState, cookies), 400, /state did not match/);
        await failsWith(await callback(site, url, ""), 400, /state cookie not found/);
        const noCode = new URL(url);
        noCode.searchParams.delete("code");
        await failsWith(await callback(site, noCode, cookies), 400, /Code not found/);
        const noVerifier = cookies.split("; ").filter((c) => !c.startsWith("verifier=")).join("; ");
        await failsWith(await callback(site, url, noVerifier), 400, /not found/);
      });

      await t.step("a code is good for one exchange only", async () => {
        const { callback: url, cookies } = await authorize(site);
        assert.equal((await callback(site, url, cookies)).status, 307);
        const replay = await callback(site, url, cookies);
        assert.equal(replay.status, 500);
        assert.equal(sessionCookie(replay), undefined);
        await replay.body?.cancel();
        assert.ok(provider.refusals.includes("unknown code"));
      });

      await t.step("the login page offers OpenID Connect", async () => {
        const res = await site.request("/monitoring/jobs/");
        assert.match(await res.text(), /href="\/oidc-login"/);
      });
    });
  } finally {
    await provider.close();
  }
});

Deno.test("OIDC: start-up fails clearly without client id or reachable provider", async () => {
  await assert.rejects(
    () => withAuthSite({ auth: { oidc: { provider: "http://127.0.0.1:1" } } }, async () => {}),
    /OID_CLIENT_ID is not set/,
  );
  await assert.rejects(
    () =>
      withAuthSite({
        auth: { oidc: { provider: "http://127.0.0.1:1" } },
        env: { OID_CLIENT_ID: "x", OID_CLIENT_SECRET: "y" },
      }, async () => {}),
    /cannot discover the OIDC provider http:\/\/127\.0\.0\.1:1/,
  );
});
