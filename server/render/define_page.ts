/**
 * A page route: what it loads on the server and which component renders
 * it. `definePage` pages need a signed-in user (the guard of
 * `mountPages()` runs first); `definePublicPage` pages do not.
 *
 * ```tsx
 * export const tagsPage = definePage({
 *   path: "/monitoring/tags/",
 *   title: "Tags - ClusterCockpit",
 *   load: ({ user, deps }) => ({ tags: new TagRepository(deps.db).countTags(user) }),
 *   Page: ({ tags }) => <TagList tags={tags} />,
 * });
 * ```
 *
 * `load` may return a `Response` (redirect) instead of data; an `AppError`
 * it throws becomes an HTML message page with that status.
 *
 * @module
 */
import { h } from "preact";
import type { FunctionComponent } from "preact";
import type { Context } from "hono";
import type { ApiEnv } from "../api/rest/api_env.ts";
import type { AuthUser } from "../auth/auth_user.ts";
import { AppError } from "../errors.ts";
import { clusterNav, type PageDeps } from "./page_deps.ts";
import { renderPage } from "./render_page.tsx";
import { renderMessagePage } from "../../routes/message.tsx";

/** What `load` of a signed-in page gets. */
export interface PageRequest {
  c: Context<ApiEnv>;
  user: AuthUser;
  deps: PageDeps;
}

/** What `load` of a public page gets (a user only if one is signed in). */
export interface PublicPageRequest {
  c: Context<ApiEnv>;
  user?: AuthUser;
  deps: PageDeps;
}

type Loaded<D> = D | Response | Promise<D | Response>;

interface PageBase<D> {
  /** Hono path pattern (GET). */
  path: string;
  /** The document title, fixed or from the data. */
  title: string | ((data: D) => string);
  /** Renders the page content (inside the layout). */
  Page: FunctionComponent<D>;
  /** Logo-only navbar (login, legal pages). */
  minimal?: boolean;
}

/** A page for signed-in users. */
export interface UserPageDefinition<D> extends PageBase<D> {
  load(request: PageRequest): Loaded<D>;
}

/** A page for everyone. */
export interface PublicPageDefinition<D> extends PageBase<D> {
  load(request: PublicPageRequest): Loaded<D>;
}

/** A mountable page, its data type erased. */
export interface PageRoute {
  path: string;
  /** Whether the page skips the session guard. */
  public: boolean;
  /** Answers a GET of the page. */
  handle(c: Context<ApiEnv>, deps: PageDeps): Promise<Response>;
}

function pageHandler<D extends object>(
  def: PageBase<D>,
  load: (c: Context<ApiEnv>, deps: PageDeps) => Loaded<D>,
): PageRoute["handle"] {
  return async function handlePage(c, deps) {
    const user = c.var.user;
    let data: D | Response;
    try {
      data = await load(c, deps);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return c.html(
        renderMessagePage({
          title: `Error ${error.status} - ClusterCockpit`,
          type: error.status >= 500 ? "danger" : "warning",
          message: error.message,
          user,
          path: c.req.path,
          clusters: clusterNav(deps.archive),
        }),
        error.status as 400,
      );
    }
    if (data instanceof Response) return data;
    const title = typeof def.title === "function" ? def.title(data) : def.title;
    c.header("Cache-Control", "no-cache, private");
    return c.html(renderPage(h(def.Page, data), {
      title,
      user,
      path: c.req.path,
      clusters: clusterNav(deps.archive),
      minimal: def.minimal,
    }));
  };
}

/** A page that needs a signed-in user. */
export function definePage<D extends object>(def: UserPageDefinition<D>): PageRoute {
  return {
    path: def.path,
    public: false,
    handle: pageHandler(def, (c, deps) => {
      const user = c.var.user;
      // The guard of mountPages() sets the user; without one the page is not for this request.
      if (!user) throw new AppError(401, "unauthorized (please login first)");
      return def.load({ c, user, deps });
    }),
  };
}

/** A page anyone may see. */
export function definePublicPage<D extends object>(def: PublicPageDefinition<D>): PageRoute {
  return {
    path: def.path,
    public: true,
    handle: pageHandler(def, (c, deps) => def.load({ c, user: c.var.user, deps })),
  };
}
