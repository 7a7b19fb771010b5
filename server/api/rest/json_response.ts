/**
 * Success bodies as cc-backend's `json.Encoder` writes them: HTML-safe
 * escaping of `<`, `>` and `&`, and a trailing newline.
 *
 * @module
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { escapeGoJson } from "../../archive/go_json.ts";

const encoder = new TextEncoder();

/**
 * Answers `text` with its Content-Length, so that the compress middleware
 * leaves small bodies alone (it cannot know the size of a string body, and
 * gzipping an 18-byte `{"msg":"success"}` costs more than it saves).
 */
export function sizedBody(
  c: Context,
  text: string,
  status: ContentfulStatusCode,
  contentType: string,
): Response {
  const bytes = encoder.encode(text);
  return c.body(bytes, status, {
    "Content-Type": contentType,
    "Content-Length": String(bytes.length),
  });
}

/** Answers `value` as JSON (or `text`, already serialized) with `status` (default 200). */
export function jsonResponse(
  c: Context,
  value: unknown,
  options: { status?: ContentfulStatusCode; text?: string } = {},
): Response {
  const text = options.text ?? escapeGoJson(JSON.stringify(value));
  return sizedBody(c, text + "\n", options.status ?? 200, "application/json");
}
