/**
 * Sign-in with OpenID Connect (cc-backend's `OIDC`), through openid-client:
 * the provider (`auth.oidc.provider`, discovered at start) and the client
 * credentials `OID_CLIENT_ID` / `OID_CLIENT_SECRET`.
 *
 * `/oidc-login` stores `state`, a PKCE `verifier` and a `nonce` in
 * short-lived HttpOnly cookies (scoped to `/oidc-callback`) and sends the
 * browser to the provider; `/oidc-callback` checks state, exchanges the
 * code (PKCE), verifies the ID token (signature, issuer, audience = our
 * client id, nonce), reads the user info and signs the user in. Scopes:
 * `openid profile roles`.
 *
 * @module
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import * as client from "openid-client";
import type { DatabaseSync } from "node:sqlite";
import type { EnvSource, OidcConfig } from "../config/mod.ts";
import { oidcClientCredentials } from "../config/mod.ts";
import { AUTH_SOURCES } from "../db/mod.ts";
import { AppError } from "../errors.ts";
import { log } from "../log/logger.ts";
import type { LoginUser } from "./authenticator.ts";
import { syncLoginUser } from "./login_user_sync.ts";
import { oidcProjects, oidcRoles } from "./oidc_roles.ts";

const CALLBACK_PATH = "/oidc-callback";
const COOKIE_SECONDS = 3600;

/** What the callback established, or why it failed (status and message for the visitor). */
export type OidcOutcome = { user: LoginUser } | { status: number; message: string };

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** openid-client's codes for an ID token that failed verification. */
const ID_TOKEN_FAILURES = new Set([
  "OAUTH_JWT_CLAIM_COMPARISON_FAILED",
  "OAUTH_JWT_TIMESTAMP_CHECK_FAILED",
  "OAUTH_INVALID_RESPONSE",
]);

/** What went wrong in the code exchange, for the visitor. */
function exchangeFailure(error: unknown): { status: number; message: string } {
  const code = (error as { code?: unknown } | undefined)?.code;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const detail = describe(cause instanceof Error ? cause : error);
  if (typeof code === "string" && ID_TOKEN_FAILURES.has(code)) {
    if (/"nonce"/.test(detail)) return { status: 400, message: "nonce did not match" };
    return { status: 401, message: `Failed to verify ID Token: ${detail}` };
  }
  return { status: 500, message: `Failed to exchange token: ${detail}` };
}

/** The OIDC client of one provider. */
export class OidcLogin {
  readonly #config: client.Configuration;
  readonly #settings: OidcConfig;

  private constructor(configuration: client.Configuration, settings: OidcConfig) {
    this.#config = configuration;
    this.#settings = settings;
  }

  /**
   * Discovers `settings.provider` (30 s at most). Throws, naming the
   * provider, when discovery fails or `OID_CLIENT_ID` is unset. A provider
   * on plain `http:` is accepted with a warning (development setups).
   */
  static async discover(
    settings: OidcConfig,
    options: { env?: EnvSource; timeoutSeconds?: number } = {},
  ): Promise<OidcLogin> {
    const { clientId, clientSecret } = oidcClientCredentials(options.env);
    if (!clientId) {
      throw new Error("auth.oidc is configured, but OID_CLIENT_ID is not set (add it to .env)");
    }
    if (!clientSecret) log.warn("OID_CLIENT_SECRET is not set: using OIDC as a public client");
    let url: URL;
    try {
      url = new URL(settings.provider);
    } catch {
      throw new Error(`auth.oidc.provider ${JSON.stringify(settings.provider)} is not a URL`);
    }
    const insecure = url.protocol === "http:";
    if (insecure) log.warn(`OIDC provider ${url} is reached over plain HTTP`);
    let metadata: client.ServerMetadata;
    try {
      const discovered = await client.discovery(url, clientId, undefined, client.None(), {
        timeout: options.timeoutSeconds ?? 30,
        execute: insecure ? [client.allowInsecureRequests] : [],
      });
      metadata = discovered.serverMetadata();
    } catch (error) {
      throw new Error(`cannot discover the OIDC provider ${url}: ${describe(error)}`, {
        cause: error,
      });
    }
    const methods = metadata.token_endpoint_auth_methods_supported;
    // The OAuth 2.0 default is Basic; POST only where the provider does not offer Basic.
    const authentication = !clientSecret
      ? client.None()
      : methods && !methods.includes("client_secret_basic")
      ? client.ClientSecretPost(clientSecret)
      : client.ClientSecretBasic(clientSecret);
    const configuration = new client.Configuration(
      metadata,
      clientId,
      clientSecret,
      authentication,
    );
    if (insecure) client.allowInsecureRequests(configuration);
    // openid-client trusts ID tokens from the token endpoint on TLS alone (OIDC Core
    // 3.1.3.7); check their signatures against the provider's JWKS as well.
    client.enableNonRepudiationChecks(configuration);
    return new OidcLogin(configuration, settings);
  }

  #callbackUrl(c: Context, secure: boolean): string {
    const host = c.req.header("Host") ?? new URL(c.req.url).host;
    return `${secure ? "https" : "http"}://${host}${CALLBACK_PATH}`;
  }

  /** `/oidc-login`: sets the state, verifier and nonce cookies and redirects to the provider. */
  async start(c: Context, options: { secure: boolean }): Promise<Response> {
    const state = client.randomState();
    const nonce = client.randomNonce();
    const verifier = client.randomPKCECodeVerifier();
    const cookie = {
      path: CALLBACK_PATH,
      httpOnly: true,
      sameSite: "Lax" as const,
      secure: options.secure,
      maxAge: COOKIE_SECONDS,
    };
    setCookie(c, "state", state, cookie);
    setCookie(c, "nonce", nonce, cookie);
    setCookie(c, "verifier", verifier, cookie);
    const url = client.buildAuthorizationUrl(this.#config, {
      redirect_uri: this.#callbackUrl(c, options.secure),
      scope: "openid profile roles",
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      access_type: "offline",
    });
    return c.redirect(url.href, 302);
  }

  /** `/oidc-callback`: the user the provider vouches for, or the failure to show. */
  async finish(c: Context, db: DatabaseSync, options: { secure: boolean }): Promise<OidcOutcome> {
    const state = getCookie(c, "state");
    const nonce = getCookie(c, "nonce");
    const verifier = getCookie(c, "verifier");
    for (const name of ["state", "nonce", "verifier"]) {
      deleteCookie(c, name, { path: CALLBACK_PATH, httpOnly: true, secure: options.secure });
    }
    const query = new URL(c.req.url).searchParams;
    if (!state) return { status: 400, message: "state cookie not found" };
    if (query.get("state") !== state) return { status: 400, message: "state did not match" };
    if (!query.get("code")) return { status: 400, message: "Code not found" };
    if (!verifier || !nonce) return { status: 400, message: "nonce not found" };
    const current = new URL(this.#callbackUrl(c, options.secure));
    current.search = query.toString();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(this.#config, current, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      const failure = exchangeFailure(error);
      log.warn(`OIDC callback: ${failure.message}`);
      return failure;
    }
    const claims = (tokens.claims() ?? {}) as Record<string, unknown>;
    let info: Record<string, unknown> = {};
    try {
      info = await client.fetchUserInfo(this.#config, tokens.access_token, String(claims.sub));
    } catch (error) {
      log.warn(`OIDC callback: fetching user info failed: ${describe(error)}`);
      return { status: 500, message: "Failed to get userinfo" };
    }
    const username = [info.preferred_username, claims.preferred_username]
      .find((v): v is string => typeof v === "string" && v !== "");
    if (!username) return { status: 400, message: "username missing" };
    const name = [info.name, claims.name].find((v): v is string => typeof v === "string");
    const user: LoginUser = {
      username,
      name,
      roles: oidcRoles(claims),
      projects: oidcProjects(claims),
      authSource: AUTH_SOURCES.oidc,
    };
    const { syncUserOnLogin: sync, updateUserOnLogin: update } = this.#settings;
    if (sync || update) {
      try {
        await syncLoginUser(db, user, { sync, update });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return { status: 500, message: `cannot store OIDC user ${username}: ${error.message}` };
      }
    }
    return { user };
  }
}
