/**
 * Name rules: RFC 1123 host names and domains, Linux interface names, and the
 * wording of "this character is not allowed".
 *
 * Every check returns `undefined` when the text is fine, otherwise the error
 * message. Characters that could break out of a dnsmasq config line or an nft
 * string (CR, LF, NUL, `,`, `#`, quotes, spaces) are named explicitly, because
 * "invalid hostname" alone does not tell the user that their value looked like
 * an injection.
 */

const CHAR_NAMES: Record<string, string> = {
  "\r": "a carriage return (CR)",
  "\n": "a line feed (LF)",
  "\0": "a NUL byte",
  "\t": "a tab",
  " ": "a space",
  ",": 'a comma ","',
  "#": 'a hash sign "#"',
  '"': "a double quote",
  "'": "a single quote",
  "`": "a backquote",
  "\\": "a backslash",
  "/": 'a slash "/"',
  ":": 'a colon ":"',
  ";": 'a semicolon ";"',
  "=": 'an equals sign "="',
};

/** Names one character for an error message, e.g. `a line feed (LF)`. */
export function describeChar(ch: string): string {
  const named = CHAR_NAMES[ch];
  if (named) return named;
  const code = ch.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  if (code < 0x20 || code === 0x7f) return `the control character ${hex}`;
  if (code > 0x7e) return `the non-ASCII character ${JSON.stringify(ch)} (${hex})`;
  return `the character ${JSON.stringify(ch)}`;
}

/**
 * The first character of `text` not matched by `allowed` (a one-character
 * regex), worded as `contains <char>`; undefined when all are allowed.
 */
export function badCharMessage(text: string, allowed: RegExp): string | undefined {
  for (const ch of text) {
    if (!allowed.test(ch)) return `contains ${describeChar(ch)}`;
  }
  return undefined;
}

/** `contains <char>` for the first C0/C1 control character or DEL; undefined if none. */
export function controlCharMessage(text: string): string | undefined {
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `contains ${describeChar(ch)}`;
  }
  return undefined;
}

const LABEL_CHAR = /^[A-Za-z0-9-]$/;
const DOMAIN_CHAR = /^[A-Za-z0-9.-]$/;

function labelMessage(label: string, what: string): string | undefined {
  if (label.length === 0) return `${what} has an empty label`;
  if (label.length > 63)
    return `${what} label "${label.slice(0, 20)}…" is longer than 63 characters`;
  if (label.startsWith("-") || label.endsWith("-")) {
    return `${what} label "${label}" must not start or end with a hyphen`;
  }
  return undefined;
}

/**
 * An RFC 1123 host label: 1..63 letters, digits and hyphens, no hyphen at
 * either end. Used for static-lease hostnames.
 */
export function hostnameMessage(text: string): string | undefined {
  const bad = badCharMessage(text, LABEL_CHAR);
  if (bad) return `${bad}; a hostname may only contain letters, digits and "-"`;
  if (text.length === 0) return "must not be empty";
  if (text.length > 63) return "is longer than 63 characters";
  if (text.startsWith("-") || text.endsWith("-")) return 'must not start or end with "-"';
  return undefined;
}

/**
 * An RFC 1123 domain: dot-separated host labels, at most 253 characters, no
 * leading, trailing or doubled dot. A single label ("lan") is a domain too.
 */
export function domainMessage(text: string): string | undefined {
  const bad = badCharMessage(text, DOMAIN_CHAR);
  if (bad) return `${bad}; a domain may only contain letters, digits, "-" and "."`;
  if (text.length === 0) return "must not be empty";
  if (text.length > 253) return "is longer than 253 characters";
  for (const label of text.split(".")) {
    const message = labelMessage(label, "domain");
    if (message) return message;
  }
  return undefined;
}

const IFNAME_CHAR = /^[A-Za-z0-9_.-]$/;

/**
 * A Linux interface name as the kernel accepts it (1..15 bytes, no `/`, `:`
 * or whitespace, not `.` or `..`), further narrowed to letters, digits, `_`,
 * `.` and `-` so that it is safe in dnsmasq and nft text. `lo` is refused:
 * neither side of a router can be the loopback.
 */
export function ifnameMessage(text: string): string | undefined {
  if (text.length === 0) return "must not be empty";
  const bad = badCharMessage(text, IFNAME_CHAR);
  if (bad) return `${bad}; an interface name may only contain letters, digits, "_", "." and "-"`;
  // Only ASCII is left, so characters are bytes.
  if (text.length > 15) return "is longer than 15 bytes (the kernel's limit)";
  if (text === "." || text === "..") return `"${text}" is not a valid interface name`;
  if (text === "lo") return '"lo" is the loopback interface';
  return undefined;
}

const MAC_RE = /^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}$/;

/** Parses `aa:bb:cc:dd:ee:ff` (any case) into lower case; undefined if malformed. */
export function parseMac(text: string): string | undefined {
  return MAC_RE.test(text) ? text.toLowerCase() : undefined;
}
