/**
 * The last line of defence against config injection: a value written into a
 * line-oriented config file (dnsmasq's) must not be able to end its line and
 * start another. Validation already refuses such values; this guard makes the
 * renderer fail loudly instead of writing a second, attacker-chosen line if a
 * value ever slipped past it.
 */

const LINE_BREAKERS = /[\r\n\0]/;

/**
 * Returns `value` unchanged, or throws when it contains CR, LF or NUL. The
 * only throw in the renderers: it cannot happen for a validated model.
 */
export function assertConfigSafe(value: string): string {
  const hit = LINE_BREAKERS.exec(value);
  if (hit !== null) {
    const what = hit[0] === "\r" ? "CR" : hit[0] === "\n" ? "LF" : "NUL";
    throw new Error(
      `refusing to write a config value containing ${what}: ${JSON.stringify(value)}`,
    );
  }
  return value;
}
