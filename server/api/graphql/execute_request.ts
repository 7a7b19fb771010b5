/**
 * Runs one GraphQL request independent of HTTP: parse (with a token limit),
 * validate (standard rules, depth and complexity limits, introspection off
 * unless enabled), execute, and shape the answer as gqlgen does — parse and
 * validation failures with status 422 and `extensions.code`
 * `GRAPHQL_PARSE_FAILED` / `GRAPHQL_VALIDATION_FAILED`, resolver failures
 * with status 200 in the `errors` array with their `path`. No error carries
 * a stack trace; unexpected ones are logged with the field path.
 *
 * @module
 */
import {
  execute,
  type ExecutionResult,
  getOperationAST,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type ValidationRule,
} from "graphql";
import { AppError } from "../../errors.ts";
import { log } from "../../log/logger.ts";
import type { GraphqlContext } from "./graphql_context.ts";
import { queryLimitsRule } from "./query_limits.ts";

/** The body of a GraphQL request. */
export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** The HTTP status and JSON body of an answer. */
export interface GraphqlAnswer {
  status: number;
  body: { data?: unknown; errors?: GraphQLFormattedError[] };
}

/** How requests are checked. */
export interface ExecuteOptions {
  /** Allow `__schema` / `__type` (default off, as in cc-backend; `createApp()` turns it on). */
  introspection?: boolean;
  /** Parser token limit (default 100,000). */
  maxTokens?: number;
  /** Depth and complexity limits (defaults in `query_limits.ts`). */
  maxDepth?: number;
  maxCost?: number;
}

/** Whether an operation may run over GET (queries only). */
export type OperationKind = "query" | "mutation" | "subscription";

/** A prepared executor for one schema. */
export interface GraphqlExecutor {
  schema: GraphQLSchema;
  rules: readonly ValidationRule[];
  maxTokens: number;
}

/** Builds the executor's validation rules once. */
export function createExecutor(
  schema: GraphQLSchema,
  options: ExecuteOptions = {},
): GraphqlExecutor {
  const rules: ValidationRule[] = [
    ...specifiedRules,
    queryLimitsRule({ maxDepth: options.maxDepth, maxCost: options.maxCost }),
  ];
  if (!options.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  return { schema, rules, maxTokens: options.maxTokens ?? 100_000 };
}

/** Deepest bracket nesting a document may have (graphql-js recurses per level). */
export const MAX_NESTING = 100;

/**
 * The deepest nesting of `{`, `[` and `(` in a document, outside strings
 * and comments: a linear scan that runs before the recursive parser and
 * validator, so absurd nesting cannot exhaust the stack.
 */
export function nestingDepth(source: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "#") {
      while (i < source.length && source[i] !== "\n" && source[i] !== "\r") i++;
    } else if (c === '"') {
      if (source.startsWith('"""', i)) {
        const end = source.indexOf('"""', i + 3);
        i = end < 0 ? source.length : end + 2;
      } else {
        for (i++; i < source.length && source[i] !== '"' && source[i] !== "\n"; i++) {
          if (source[i] === "\\") i++;
        }
      }
    } else if (c === "{" || c === "[" || c === "(") {
      if (++depth > max) max = depth;
    } else if (c === "}" || c === "]" || c === ")") {
      depth--;
    }
  }
  return max;
}

function requestFailure(errors: readonly GraphQLError[], code: string): GraphqlAnswer {
  return {
    status: 422,
    body: {
      errors: errors.map((e) => {
        const formatted = formatError(e);
        return {
          ...formatted,
          extensions: { code, ...formatted.extensions },
        };
      }),
    },
  };
}

/** The error as sent: message, locations, path and extensions; never a stack. */
export function formatError(error: GraphQLError): GraphQLFormattedError {
  const original = error.originalError;
  const extensions: Record<string, unknown> = { ...error.extensions };
  if (original instanceof AppError) extensions.status = original.status;
  else if (original && !(original instanceof GraphQLError)) {
    log.error(
      `GraphQL: unexpected error at ${(error.path ?? []).join(".") || "(request)"}:`,
      original.stack ?? original.message,
    );
  }
  const formatted: GraphQLFormattedError = { message: error.message };
  const out = formatted as {
    message: string;
    locations?: unknown;
    path?: unknown;
    extensions?: Record<string, unknown>;
  };
  if (error.locations) out.locations = error.locations;
  if (error.path) out.path = error.path;
  if (Object.keys(extensions).length > 0) out.extensions = extensions;
  return formatted;
}

/**
 * Parses, validates and executes `request` for `context`. `allowed` limits
 * the operation kinds (GET requests pass `["query"]`; others answer 405).
 */
export async function executeRequest(
  executor: GraphqlExecutor,
  request: GraphqlRequest,
  context: GraphqlContext,
  options: { allowed?: readonly OperationKind[] } = {},
): Promise<GraphqlAnswer> {
  if (nestingDepth(request.query) > MAX_NESTING) {
    return requestFailure(
      [
        new GraphQLError(
          `Syntax Error: the document is nested more than ${MAX_NESTING} levels deep`,
        ),
      ],
      "GRAPHQL_PARSE_FAILED",
    );
  }
  let document;
  try {
    document = parse(request.query, { maxTokens: executor.maxTokens });
  } catch (error) {
    if (error instanceof GraphQLError) return requestFailure([error], "GRAPHQL_PARSE_FAILED");
    throw error;
  }
  const errors = validate(executor.schema, document, executor.rules);
  if (errors.length > 0) return requestFailure(errors, "GRAPHQL_VALIDATION_FAILED");
  const operation = getOperationAST(document, request.operationName ?? undefined);
  if (operation && options.allowed && !options.allowed.includes(operation.operation)) {
    return {
      status: 405,
      body: {
        errors: [{
          message: `${operation.operation} operations are not allowed with GET; use POST`,
        }],
      },
    };
  }
  const result = await execute({
    schema: executor.schema,
    document,
    variableValues: request.variables ?? undefined,
    operationName: request.operationName ?? undefined,
    contextValue: context,
  }) as ExecutionResult;
  // Without data the request itself failed (variables, operation name): like validation.
  if (!("data" in result) && result.errors) {
    return requestFailure(result.errors, "GRAPHQL_VALIDATION_FAILED");
  }
  const body: GraphqlAnswer["body"] = {};
  if (result.errors?.length) body.errors = result.errors.map(formatError);
  body.data = result.data ?? null;
  return { status: 200, body };
}
