/**
 * Human output for routerctl: aligned tables, byte counts, and escaping for
 * text that comes from the network (DHCP hostnames are client-supplied and
 * may hold control characters meant to rewrite the terminal).
 */

/** Non-printable and non-ASCII characters as `\uXXXX`, so hostile text stays on one line. */
export function safeText(text: string): string {
  return text.replace(
    /[^\x20-\x7e]/g,
    (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
  );
}

/** Left-aligned columns separated by two spaces; header first. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}

/** 1536 → "1.5 KiB". */
export function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** A per-second rate with one decimal. */
export function rate(n: number): string {
  return n.toFixed(1);
}

/** One JSON document per line (for --json and --watch --json). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
