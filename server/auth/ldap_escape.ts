/**
 * Escaping of user input placed into LDAP filters (RFC 4515) and DNs
 * (RFC 4514), as go-ldap's `EscapeFilter` and `EscapeDN` do, so a login name
 * like `*)(uid=*` or `x,ou=admins` matches literally.
 *
 * @module
 */

/** `value` safe inside a filter assertion: `*`, `(`, `)`, `\` and NUL as `\xx`. */
export function escapeFilterValue(value: string): string {
  // deno-lint-ignore no-control-regex
  const special = /[*()\\\u0000]/g;
  return value.replace(special, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** `value` safe as an attribute value of a DN (`uid=<value>,ou=people,...`). */
export function escapeDnValue(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    const edge = (i === 0 && (c === " " || c === "#")) || (i === value.length - 1 && c === " ");
    if (c === "\u0000") out += "\\00";
    else if (edge || ',+"\\<>;='.includes(c)) out += `\\${c}`;
    else out += c;
  }
  return out;
}
