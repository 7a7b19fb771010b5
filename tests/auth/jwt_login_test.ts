import assert from "node:assert/strict";
import { SignJWT, UnsecuredJWT } from "jose";
import { generateKeyPair } from "../../server/config/mod.ts";
import { importPrivateKey } from "../../server/auth/jwt_keys.ts";
import { type AuthSite, sessionCookie, setCookieLine, withAuthSite } from "./auth_site.ts";

const HS_KEY = crypto.getRandomValues(new Uint8Array(64));
const HS_KEY_B64 = btoa(String.fromCharCode(...HS_KEY));
const ISSUER = "https://portal.example.org";
const issuerKeys = generateKeyPair();
const decode = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

function hsToken(
  claims: Record<string, unknown>,
  options: { alg?: string; key?: Uint8Array; exp?: number } = {},
): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? "HS512" })
    .setSubject(String(claims.sub ?? "")).setIssuedAt();
  if (options.exp !== undefined) jwt.setExpirationTime(options.exp);
  return jwt.sign(options.key ?? HS_KEY);
}

let client = 0;

/** A token login from a fresh client address (tokens carry no username: all share a bucket). */
async function loginWithToken(site: AuthSite, token: string, how: "header" | "query") {
  const headers: Record<string, string> = { "X-Real-Ip": `10.20.0.${++client % 250}` };
  if (how === "header") headers.Authorization = `Bearer ${token}`;
  const query = how === "query" ? `?login-token=${encodeURIComponent(token)}` : "";
  return await site.app.request(`/jwt-login${query}`, { headers });
}

async function refusedWith(res: Response, pattern: RegExp): Promise<void> {
  assert.equal(res.status, 401);
  assert.equal(sessionCookie(res), undefined);
  assert.match(await res.text(), pattern);
}

Deno.test("login tokens (CROSS_LOGIN_JWT_HS512_KEY) sign users in; bad ones are refused", async (t) => {
  const options = {
    env: { CROSS_LOGIN_JWT_HS512_KEY: HS_KEY_B64 },
    auth: { jwts: { "sync-user-on-login": true } },
  };
  await withAuthSite(options, async (site) => {
    await t.step("HS512 in the Authorization header", async () => {
      const token = await hsToken({ sub: "tina", roles: ["user", "bogus"], projects: ["p"] });
      const res = await loginWithToken(site, token, "header");
      assert.equal(res.status, 302);
      const cookie = sessionCookie(res);
      const page = await site.request("/monitoring/jobs/", { cookie });
      const { user } = await page.json();
      assert.deepEqual(user.roles, ["user"]);
      assert.equal(user.authSource, 2);
      // sync-user-on-login created the account.
      assert.deepEqual(site.users.getUser("tina")?.roles, ["user"]);
    });

    await t.step("HS256 in ?login-token=", async () => {
      const token = await hsToken({ sub: "tom", roles: ["manager"] }, { alg: "HS256" });
      assert.equal((await loginWithToken(site, token, "query")).status, 302);
    });

    await t.step("a wrong key, alg none, EdDSA and expired tokens are refused", async () => {
      const wrongKey = await hsToken({ sub: "eve", roles: ["admin"] }, {
        key: new TextEncoder().encode("not the key"),
      });
      await refusedWith(await loginWithToken(site, wrongKey, "header"), /signature is invalid/);
      const none = new UnsecuredJWT({ sub: "eve", roles: ["admin"] }).encode();
      await refusedWith(await loginWithToken(site, none, "query"), /not accepted|unverifiable/);
      const ed = await new SignJWT({ roles: ["admin"] }).setProtectedHeader({ alg: "EdDSA" })
        .setSubject("eve").sign(await importPrivateKey(decode(issuerKeys.privateKey)));
      await refusedWith(await loginWithToken(site, ed, "header"), /not accepted/);
      const expired = await hsToken({ sub: "eve", roles: ["admin"] }, {
        exp: Math.floor(Date.now() / 1000) - 60,
      });
      await refusedWith(await loginWithToken(site, expired, "header"), /token is expired/);
      const noSub = await hsToken({ roles: ["admin"] });
      await refusedWith(await loginWithToken(site, noSub, "header"), /missing 'sub' claim/);
      await refusedWith(await loginWithToken(site, "garbage", "header"), /malformed/);
      assert.equal(site.users.getUser("eve"), null);
    });

    await t.step("with an Authorization header the password form does not apply", async () => {
      await site.addLocalUser("lou", "lou-pw");
      const res = await site.login({ username: "lou", password: "lou-pw" }, {
        Authorization: "Bearer x",
      });
      assert.equal(res.status, 401);
    });
  });
});

Deno.test("without CROSS_LOGIN_JWT_HS512_KEY login tokens are ignored", async () => {
  await withAuthSite({}, async (site) => {
    const token = await hsToken({ sub: "tina", roles: ["admin"] });
    const res = await loginWithToken(site, token, "header");
    await refusedWith(res, /Authentication failed/);
  });
});

Deno.test("API tokens: another algorithm or key is refused (alg confusion)", async () => {
  await withAuthSite({}, async (site) => {
    // HS256 "signed" with the bytes of the Ed25519 public key.
    const publicKey = decode(site.env.get("JWT_PUBLIC_KEY") ?? "");
    const confused = await hsToken({ sub: "eve", roles: ["admin"] }, {
      alg: "HS256",
      key: publicKey,
    });
    const none = new UnsecuredJWT({ sub: "eve", roles: ["admin"] }).encode();
    const foreign = await new SignJWT({ roles: ["admin"] }).setProtectedHeader({ alg: "EdDSA" })
      .setSubject("eve").sign(await importPrivateKey(decode(issuerKeys.privateKey)));
    const expired = await new SignJWT({ roles: ["admin"] }).setProtectedHeader({ alg: "EdDSA" })
      .setSubject("eve").setExpirationTime(Math.floor(Date.now() / 1000) - 1)
      .sign(await importPrivateKey(decode(site.env.get("JWT_PRIVATE_KEY") ?? "")));
    const cases: [string, RegExp][] = [
      [confused, /only Ed25519\/EdDSA supported/],
      [none, /only Ed25519\/EdDSA supported|unverifiable/],
      [foreign, /signature is invalid/],
      [expired, /token is expired/],
    ];
    for (const [token, pattern] of cases) {
      const res = await site.request("/query", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 401);
      assert.match((await res.json()).error, pattern);
    }
  });
});

Deno.test("cross-login cookie from a trusted issuer", async (t) => {
  const options = {
    env: { CROSS_LOGIN_JWT_PUBLIC_KEY: issuerKeys.publicKey },
    auth: { jwts: { "cookie-name": "cc-jwt", "trusted-issuer": ISSUER } },
  };
  const issuerKey = await importPrivateKey(decode(issuerKeys.privateKey));
  await withAuthSite(options, async (site) => {
    const sign = (claims: Record<string, unknown>, key = issuerKey) =>
      new SignJWT(claims).setProtectedHeader({ alg: "EdDSA" }).setSubject("xena")
        .setIssuedAt().setExpirationTime("5m").sign(key);

    await t.step("a token of the trusted issuer signs in and the cookie is removed", async () => {
      const token = await sign({ iss: ISSUER, roles: ["support"], name: { values: ["X", "Y"] } });
      const res = await site.request("/login", { method: "POST", cookie: `cc-jwt=${token}` });
      assert.equal(res.status, 302);
      assert.match(setCookieLine(res, "cc-jwt") ?? "", /^cc-jwt=; Max-Age=0/);
      const page = await site.request("/monitoring/jobs/", { cookie: sessionCookie(res) });
      const { user } = await page.json();
      assert.deepEqual(user.roles, ["support"]);
      assert.equal(user.name, "X Y");
    });

    await t.step(
      "another issuer, or the trusted issuer's name with another key, is refused",
      async () => {
        const other = await sign({ iss: "https://evil.example", roles: ["admin"] });
        let res = await site.request("/login", { method: "POST", cookie: `cc-jwt=${other}` });
        await refusedWith(res, /untrusted JWT issuer/);
        assert.match(setCookieLine(res, "cc-jwt") ?? "", /^cc-jwt=; Max-Age=0/);
        const ownKey = await importPrivateKey(decode(site.env.get("JWT_PRIVATE_KEY") ?? ""));
        const forged = await sign({ iss: ISSUER, roles: ["admin"] }, ownKey);
        res = await site.request("/login", { method: "POST", cookie: `cc-jwt=${forged}` });
        await refusedWith(res, /signature is invalid/);
      },
    );

    await t.step("a token without issuer is checked with our own key", async () => {
      const ownKey = await importPrivateKey(decode(site.env.get("JWT_PRIVATE_KEY") ?? ""));
      const own = await sign({ roles: ["user"] }, ownKey);
      const res = await site.request("/login", { method: "POST", cookie: `cc-jwt=${own}` });
      assert.equal(res.status, 302);
      const unsigned = new UnsecuredJWT({ sub: "xena", roles: ["admin"] }).encode();
      const bad = await site.request("/login", { method: "POST", cookie: `cc-jwt=${unsigned}` });
      assert.equal(bad.status, 401);
    });
  });
});
