/**
 * The HTTP side of the GraphQL API: `POST /query` (JSON body
 * `{query, variables?, operationName?}`, as the UI sends it) and `GET
 * /query` for queries in the URL, behind an injected guard that puts the
 * viewer on `c.var.user`. Bodies over the size limit answer 413 before they
 * are parsed.
 *
 * @module
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { ApiEnv } from "../rest/api_env.ts";
import { createGraphqlSchema } from "./build_schema.ts";
import {
  createExecutor,
  type ExecuteOptions,
  executeRequest,
  type GraphqlAnswer,
  type GraphqlRequest,
  type OperationKind,
} from "./execute_request.ts";
import { createContext, type GraphqlDeps, GraphqlServices } from "./graphql_context.ts";

/** Largest accepted request body (and GET query string), in bytes. */
export const MAX_REQUEST_BYTES = 1 << 20;

/** Options of {@link mountGraphql}. */
export interface GraphqlMountOptions extends ExecuteOptions {
  /** Authenticates the request and sets `c.var.user` (absent: no authentication). */
  guard?: MiddlewareHandler<ApiEnv>;
  /** Body size limit in bytes (default {@link MAX_REQUEST_BYTES}). */
  maxRequestBytes?: number;
  /** Route path (default `/query`). */
  path?: string;
}

function answer(c: Context<ApiEnv>, result: GraphqlAnswer): Response {
  return c.json(result.body, result.status as 200);
}

function failure(c: Context<ApiEnv>, status: number, message: string): Response {
  return answer(c, { status, body: { errors: [{ message }] } });
}

class TooLarge extends Error {}

/** The body text, reading at most `limit` bytes (a lying or absent Content-Length is no way around it). */
async function readLimited(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("Content-Length") ?? "NaN");
  if (declared > limit) throw new TooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks the decoded body's shape; a message for the client when it is wrong. */
function asRequest(value: unknown): GraphqlRequest | string {
  if (!isObject(value)) return "the request body must be a JSON object";
  if (typeof value.query !== "string" || value.query === "") {
    return 'the request must have a non-empty string "query"';
  }
  if (value.variables !== undefined && value.variables !== null && !isObject(value.variables)) {
    return '"variables" must be a JSON object';
  }
  if (
    value.operationName !== undefined && value.operationName !== null &&
    typeof value.operationName !== "string"
  ) {
    return '"operationName" must be a string';
  }
  return {
    query: value.query,
    variables: (value.variables ?? null) as GraphqlRequest["variables"],
    operationName: (value.operationName ?? null) as string | null,
  };
}

/** Adds `POST /query` and `GET /query` to `app`. */
export function mountGraphql(
  app: Hono<ApiEnv>,
  deps: GraphqlDeps,
  options: GraphqlMountOptions = {},
): void {
  const services = new GraphqlServices(deps);
  const executor = createExecutor(createGraphqlSchema(), options);
  const limit = options.maxRequestBytes ?? MAX_REQUEST_BYTES;
  const path = options.path ?? "/query";

  async function run(
    c: Context<ApiEnv>,
    request: GraphqlRequest,
    allowed?: readonly OperationKind[],
  ): Promise<Response> {
    const context = createContext(services, c.get("user"));
    return answer(c, await executeRequest(executor, request, context, { allowed }));
  }

  const post: MiddlewareHandler<ApiEnv> = async function graphqlPost(c) {
    const type = c.req.header("Content-Type") ?? "";
    if (!/^application\/(graphql-response\+)?json\b/i.test(type.trim())) {
      return failure(
        c,
        415,
        `unsupported Content-Type ${JSON.stringify(type)}: use application/json`,
      );
    }
    let text: string;
    try {
      text = await readLimited(c.req.raw, limit);
    } catch (error) {
      if (error instanceof TooLarge) {
        return failure(c, 413, `request body exceeds the limit of ${limit} bytes`);
      }
      throw error;
    }
    let decoded: unknown;
    try {
      decoded = JSON.parse(text);
    } catch (error) {
      return failure(c, 400, `json request body could not be decoded: ${(error as Error).message}`);
    }
    const request = asRequest(decoded);
    if (typeof request === "string") return failure(c, 400, request);
    return await run(c, request);
  };

  const get: MiddlewareHandler<ApiEnv> = async function graphqlGet(c) {
    const url = new URL(c.req.url);
    if (url.search.length > limit) {
      return failure(c, 413, `query string exceeds the limit of ${limit} bytes`);
    }
    let variables: unknown = null;
    const rawVariables = url.searchParams.get("variables");
    if (rawVariables) {
      try {
        variables = JSON.parse(rawVariables);
      } catch (error) {
        return failure(c, 400, `"variables" is not valid JSON: ${(error as Error).message}`);
      }
    }
    const request = asRequest({
      query: url.searchParams.get("query") ?? "",
      variables,
      operationName: url.searchParams.get("operationName"),
    });
    if (typeof request === "string") return failure(c, 400, request);
    return await run(c, request, ["query"]);
  };

  if (options.guard) {
    app.post(path, options.guard, post);
    app.get(path, options.guard, get);
  } else {
    app.post(path, post);
    app.get(path, get);
  }
}
