/**
 * Where a login may send the browser afterwards: only a path on this site.
 * cc-backend accepts a `redirect` form value without scheme and host; this
 * check also refuses protocol-relative (`//evil.example`), backslash
 * (`/\evil.example`, which browsers treat as `//`) and control characters.
 *
 * @module
 */

const BASE = "http://cc-backend.invalid";

/** Whether `target` is a path on this site (`/monitoring/jobs/?state=running`). */
export function isSafeRedirect(target: string): boolean {
  if (!target.startsWith("/") || target.startsWith("//") || target.includes("\\")) return false;
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(target)) return false;
  try {
    return new URL(target, BASE).origin === BASE;
  } catch {
    return false;
  }
}

/** `target` when it is safe, else `/`. */
export function redirectTarget(target: string | undefined): string {
  return target && isSafeRedirect(target) ? target : "/";
}
