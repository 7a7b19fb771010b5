/**
 * JSON for `<script type="application/json">` elements: the text cannot end
 * the element (`</script>`), open a comment (`<!--`) or break a line in old
 * JavaScript parsers, because `<`, `>`, `&`, U+2028 and U+2029 are written
 * as `\uXXXX` escapes. `JSON.parse` reads the result unchanged.
 *
 * @module
 */

const UNSAFE = /[<>&\u2028\u2029]/g;

/** `JSON.stringify(value)` safe to place inside a `<script>` element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
