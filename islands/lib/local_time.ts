/**
 * Times as the job lists show them: local date and time of the browser.
 *
 * @module
 */

const pad = (n: number) => String(n).padStart(2, "0");

/** A `Time` value (RFC 3339) or unix seconds as local `YYYY-MM-DD hh:mm:ss`. */
export function formatTime(value: string | number): string {
  const d = new Date(typeof value === "number" ? value * 1000 : value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
