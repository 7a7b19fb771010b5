/**
 * Form fields as Go's `r.FormValue` finds them: the urlencoded or multipart
 * body first, then the query string. A body that does not parse has no
 * fields (Go ignores form parse errors there); files are not fields.
 *
 * @module
 */
import type { Context } from "hono";

/** Reads the request's form once; `get(name)` returns the field or "". */
export async function formFields(c: Context): Promise<(name: string) => string> {
  let body: Record<string, unknown> = {};
  const type = c.req.header("Content-Type") ?? "";
  if (/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) {
    try {
      body = await c.req.parseBody();
    } catch {
      // As in Go: an unreadable form has no fields.
    }
  }
  return (name) => {
    const value = body[name];
    if (typeof value === "string") return value;
    return c.req.query(name) ?? "";
  };
}
