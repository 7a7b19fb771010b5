/**
 * The login page (cc-backend's `login.tmpl`): logo-only navbar, an optional
 * alert, the form posting `username`, `password` and the hidden `redirect`
 * to `/login`, and the OpenID Connect button when OIDC is configured.
 * `renderLoginPage()` is what the login, logout and session-guard handlers
 * answer with; the GET route shows the empty form.
 *
 * @module
 */
import { definePublicPage } from "../server/render/define_page.ts";
import { readNotice } from "../server/render/page_deps.ts";
import { renderPage } from "../server/render/render_page.tsx";
import { isSafeRedirect } from "../server/auth/safe_redirect.ts";

/** Props of {@link LoginPage}; the alert shows the first message set. */
export interface LoginPageOptions {
  /** Red alert: "unauthorized (please login first)". */
  error?: string;
  /** Yellow alert: "Authentication failed", "too many login attempts, …". */
  warning?: string;
  /** Blue alert: "Logout successful". */
  info?: string;
  /** Where to go after login; only a path on this site is kept. */
  redirect?: string;
  /** Show "OpenID Connect Login" (`auth.oidc` configured). */
  oidc?: boolean;
  /** The admin notice (`var/notice.txt`). */
  notice?: string;
}

/** A relative redirect target (`/path?query`), or "" for anything pointing elsewhere. */
export function safeRedirect(target: string | undefined): string {
  return target && isSafeRedirect(target) ? target : "";
}

/** The login card. */
export function LoginPage(props: LoginPageOptions) {
  const alert = props.error
    ? { type: "danger", text: props.error }
    : props.warning
    ? { type: "warning", text: props.warning }
    : props.info
    ? { type: "info", text: props.info }
    : undefined;
  const redirect = safeRedirect(props.redirect);
  return (
    <div class="cc-narrow mx-auto mt-3">
      {props.notice && <div class="alert alert-info cc-notice" role="status">{props.notice}</div>}
      {alert && <div class={`alert alert-${alert.type}`} role="alert">{alert.text}</div>}
      <div class="card">
        <div class="card-header">
          <h3 class="h4 mb-0">Login</h3>
        </div>
        <div class="card-body">
          <form action="/login" method="post">
            <div class="mb-3">
              <label class="form-label" for="username">Username</label>
              <input
                class="form-control"
                type="text"
                id="username"
                name="username"
                autocomplete="username"
                required
                autofocus
              />
            </div>
            <div class="mb-3">
              <label class="form-label" for="password">Password</label>
              <input
                class="form-control"
                type="password"
                id="password"
                name="password"
                autocomplete="current-password"
                required
              />
            </div>
            {redirect && <input type="hidden" name="redirect" value={redirect} />}
            <div class="d-flex flex-wrap gap-2">
              <button type="submit" class="btn btn-success">Submit</button>
              {props.oidc && <a class="btn btn-primary" href="/oidc-login">OpenID Connect Login</a>}
            </div>
          </form>
        </div>
      </div>
    </div>
  );
}

/** The complete login page; `title` defaults to "Login". */
export function renderLoginPage(options: LoginPageOptions & { title?: string } = {}): string {
  return renderPage(<LoginPage {...options} />, {
    title: options.title ?? "Login",
    minimal: true,
  });
}

/** `GET /login`: the empty form (a `?redirect=` path is carried along). */
export const loginPage = definePublicPage({
  path: "/login",
  title: "Login",
  minimal: true,
  async load({ c, deps }): Promise<LoginPageOptions> {
    return {
      redirect: c.req.query("redirect"),
      oidc: Boolean(deps.config.auth?.oidc),
      notice: await readNotice(deps.varDir),
    };
  },
  Page: LoginPage,
});
