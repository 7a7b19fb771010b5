/**
 * A minimal OpenID provider for tests, on a free 127.0.0.1 port: discovery,
 * JWKS, an authorization endpoint that approves at once (as the user the
 * test chose), a token endpoint checking client credentials, redirect URI
 * and PKCE, and user info. ID tokens are real RS256 JWTs made with jose;
 * the test can tamper with their nonce, audience, signing key or expiry.
 *
 * @module
 */
import { exportJWK, generateKeyPair, SignJWT } from "jose";

/** Who signs in at the provider, and the claims it states. */
export interface ProviderUser {
  sub: string;
  preferredUsername?: string;
  name?: string;
  /** Extra ID-token claims (realm_access, resource_access, projects, ...). */
  claims?: Record<string, unknown>;
}

/** Ways to make the next ID tokens wrong. */
export interface Tampering {
  nonce?: string;
  aud?: string;
  /** Sign with a key that is not in the JWKS. */
  foreignKey?: boolean;
  /** Seconds relative to now for `exp`. */
  expiresIn?: number;
}

/** The running provider. */
export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The user the next authorization approves. */
  user: ProviderUser;
  tamper: Tampering;
  /** Requests the token endpoint refused, with the reason. */
  refusals: string[];
  close(): Promise<void>;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  nonce?: string;
  challenge: string;
  user: ProviderUser;
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** Starts the provider. */
export async function startTestProvider(): Promise<TestProvider> {
  const clientId = "cc-backend";
  const clientSecret = "client-secret";
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const foreign = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const grants = new Map<string, Grant>();
  const accessTokens = new Map<string, ProviderUser>();
  const state: TestProvider = {
    issuer: "",
    clientId,
    clientSecret,
    user: { sub: "u-1", preferredUsername: "olivia", name: "Olivia O" },
    tamper: {},
    refusals: [],
    close: () => Promise.resolve(),
  };
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  const refuse = (reason: string) => {
    state.refusals.push(reason);
    return json({ error: "invalid_grant", error_description: reason }, 400);
  };

  async function token(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    let id = form.get("client_id");
    let secret = form.get("client_secret");
    const basic = request.headers.get("Authorization");
    if (basic?.startsWith("Basic ")) {
      [id, secret] = atob(basic.slice(6)).split(":").map(decodeURIComponent);
    }
    if (id !== clientId || secret !== clientSecret) {
      state.refusals.push("client authentication failed");
      return json({ error: "invalid_client" }, 401);
    }
    const code = form.get("code") ?? "";
    const grant = grants.get(code);
    grants.delete(code);
    if (!grant) return refuse("unknown code");
    if (form.get("redirect_uri") !== grant.redirectUri) return refuse("redirect_uri mismatch");
    if (await s256(form.get("code_verifier") ?? "") !== grant.challenge) {
      return refuse("PKCE verification failed");
    }
    const access = crypto.randomUUID();
    accessTokens.set(access, grant.user);
    const now = Math.floor(Date.now() / 1000);
    const tamper = state.tamper;
    const idToken = await new SignJWT({
      nonce: tamper.nonce ?? grant.nonce,
      preferred_username: grant.user.preferredUsername,
      name: grant.user.name,
      ...grant.user.claims,
    })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuer(state.issuer)
      .setSubject(grant.user.sub)
      .setAudience(tamper.aud ?? clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + (tamper.expiresIn ?? 300))
      .sign(tamper.foreignKey ? foreign.privateKey : privateKey);
    return json({ access_token: access, token_type: "Bearer", expires_in: 300, id_token: idToken });
  }

  function handler(request: Request): Promise<Response> | Response {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/.well-known/openid-configuration":
        return json({
          issuer: state.issuer,
          authorization_endpoint: `${state.issuer}/authorize`,
          token_endpoint: `${state.issuer}/token`,
          userinfo_endpoint: `${state.issuer}/userinfo`,
          jwks_uri: `${state.issuer}/jwks`,
          response_types_supported: ["code"],
          subject_types_supported: ["public"],
          id_token_signing_alg_values_supported: ["RS256"],
          code_challenge_methods_supported: ["S256"],
          token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
        });
      case "/jwks":
        return json({ keys: [jwk] });
      case "/authorize": {
        const q = url.searchParams;
        if (q.get("client_id") !== clientId || q.get("response_type") !== "code") {
          return json({ error: "invalid_request" }, 400);
        }
        if (q.get("code_challenge_method") !== "S256" || !q.get("code_challenge")) {
          return json({ error: "invalid_request", error_description: "PKCE required" }, 400);
        }
        const code = crypto.randomUUID();
        const redirectUri = q.get("redirect_uri") ?? "";
        grants.set(code, {
          clientId,
          redirectUri,
          nonce: q.get("nonce") ?? undefined,
          challenge: q.get("code_challenge") ?? "",
          user: state.user,
        });
        const back = new URL(redirectUri);
        back.searchParams.set("code", code);
        back.searchParams.set("state", q.get("state") ?? "");
        return new Response(null, { status: 302, headers: { Location: back.href } });
      }
      case "/token":
        return request.method === "POST" ? token(request) : json({ error: "method" }, 405);
      case "/userinfo": {
        const user = accessTokens.get(
          (request.headers.get("Authorization") ?? "").replace(/^Bearer /, ""),
        );
        if (!user) return json({ error: "invalid_token" }, 401);
        return json({ sub: user.sub, preferred_username: user.preferredUsername, name: user.name });
      }
      default:
        return json({ error: "not found" }, 404);
    }
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  state.issuer = `http://127.0.0.1:${server.addr.port}`;
  state.close = () => server.shutdown();
  return state;
}
