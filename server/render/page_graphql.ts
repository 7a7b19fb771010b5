/**
 * GraphQL for page loads: runs an operation in-process with the viewer's
 * rights, so a server-rendered first view holds exactly what the page's
 * island would get from `POST /query` for the same operation. The schema
 * and the services are built once per {@link PageDeps}.
 *
 * @module
 */
import type { AuthUser } from "../auth/auth_user.ts";
import { AppError } from "../errors.ts";
import { createGraphqlSchema } from "../api/graphql/build_schema.ts";
import {
  createExecutor,
  executeRequest,
  type GraphqlExecutor,
} from "../api/graphql/execute_request.ts";
import { createContext, GraphqlServices } from "../api/graphql/graphql_context.ts";
import type { PageDeps } from "./page_deps.ts";

let executor: GraphqlExecutor | undefined;
const services = new WeakMap<PageDeps, GraphqlServices>();

function servicesOf(deps: PageDeps): GraphqlServices {
  let found = services.get(deps);
  if (!found) {
    found = new GraphqlServices({
      db: deps.db,
      archive: deps.archive,
      config: deps.config,
      now: deps.now,
    });
    services.set(deps, found);
  }
  return found;
}

/**
 * Runs `query` with `variables` as `user` and returns its `data`. A
 * failed request or a resolver error throws an {@link AppError} with the
 * messages of the errors (status 500 for invalid documents: those are ours).
 */
export async function runPageQuery<T>(
  deps: PageDeps,
  user: AuthUser,
  request: { query: string; variables?: Record<string, unknown> },
): Promise<T> {
  executor ??= createExecutor(createGraphqlSchema());
  const answer = await executeRequest(
    executor,
    { query: request.query, variables: request.variables ?? null },
    createContext(servicesOf(deps), user),
  );
  const errors = answer.body.errors ?? [];
  if (errors.length > 0 || answer.body.data == null) {
    const status = answer.status === 200
      ? Number(errors[0]?.extensions?.status ?? 500)
      : (answer.status === 422 ? 500 : answer.status);
    throw new AppError(
      status >= 400 && status < 600 ? status : 500,
      errors.map((e) => e.message).join("; ") || "the page query returned no data",
    );
  }
  return answer.body.data as T;
}
