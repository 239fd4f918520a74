/**
 * POSIX shell quoting for values the generated scripts embed. Pure.
 *
 * A value is wrapped in single quotes, inside which the shell interprets
 * nothing; an embedded `'` becomes `'\''`. The result is one shell word that
 * expands to exactly `value`, whatever it contains (`$(...)`, backquotes,
 * newlines). NUL cannot be represented in a shell word, so it throws.
 */
export function shellQuote(value: string): string {
  if (value.includes("\0")) throw new Error("shellQuote: value contains a NUL byte");
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
