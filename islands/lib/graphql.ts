/**
 * The islands' client of cc-backend's GraphQL endpoint (`POST /query`),
 * authenticated by the session cookie.
 *
 * @module
 */

/** A GraphQL answer with `errors`, or a failed HTTP exchange. */
export class GraphQLRequestError extends Error {
  /** The `errors` of the answer (empty when the HTTP exchange failed). */
  readonly errors: { message: string; path?: (string | number)[] }[];

  constructor(message: string, errors: { message: string; path?: (string | number)[] }[] = []) {
    super(message);
    this.name = "GraphQLRequestError";
    this.errors = errors;
  }
}

/** Options of {@link gql}. */
export interface GqlOptions {
  signal?: AbortSignal;
  /** Endpoint (default `/query`). */
  endpoint?: string;
}

/** Runs `query` with `variables` and returns `data`; throws {@link GraphQLRequestError}. */
export async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  options: GqlOptions = {},
): Promise<T> {
  const endpoint = options.endpoint ?? "/query";
  const response = await fetch(endpoint, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ query, variables }),
    signal: options.signal,
  });
  let body: { data?: T; errors?: { message: string }[] };
  try {
    body = await response.json();
  } catch {
    throw new GraphQLRequestError(`${endpoint} answered ${response.status} without JSON`);
  }
  if (body.errors?.length) {
    throw new GraphQLRequestError(body.errors.map((e) => e.message).join("; "), body.errors);
  }
  if (!response.ok || body.data === undefined) {
    throw new GraphQLRequestError(`${endpoint} answered ${response.status} without data`);
  }
  return body.data;
}
