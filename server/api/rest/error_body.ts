/**
 * cc-backend's error bodies: `{"status": "<HTTP status text>", "error":
 * "<message>"}` with a trailing newline, and the one error handler that maps
 * every failure to it without leaking a stack trace.
 *
 * @module
 */
import type { Context, ErrorHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { escapeGoJson } from "../../archive/go_json.ts";
import { AppError } from "../../errors.ts";
import { log } from "../../log/logger.ts";
import { sizedBody } from "./json_response.ts";

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Request Entity Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** The HTTP status text Go's `http.StatusText` gives for `status`. */
export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? "Error";
}

/** Answers `{"status":..., "error":...}\n` with `status`. */
export function errorResponse(c: Context, status: number, message: string): Response {
  // Go's encoder escapes <, > and & (messages often quote client input).
  const body = escapeGoJson(JSON.stringify({ status: statusText(status), error: message })) + "\n";
  return sizedBody(c, body, status as ContentfulStatusCode, "application/json");
}

/** The API's error handler: AppErrors keep their status, anything else is a logged 500. */
export const apiErrorHandler: ErrorHandler = (error, c) => {
  if (error instanceof AppError) {
    if (error.status >= 500) log.error(`${c.req.method} ${c.req.path}: ${error.message}`);
    return errorResponse(c, error.status, error.message);
  }
  log.error(`${c.req.method} ${c.req.path}: unexpected error: ${error.message}`);
  log.debug(error.stack ?? "");
  return errorResponse(c, 500, "internal server error");
};
