/**
 * A line-based unified diff (`diff -u` style) for plans: what an apply would
 * change in the nft document and the dnsmasq files. Pure.
 *
 * Uses Myers' algorithm on the lines between the common prefix and suffix.
 * When the edit distance exceeds `maxEdits`, the differing middle is shown
 * as one removed block and one added block instead: still correct, just not
 * minimal, and it keeps huge unrelated inputs cheap.
 */

type Edit = { kind: " " | "-" | "+"; line: string };

export interface DiffOptions {
  /** Lines of context around each change. Default 3. */
  context?: number;
  /** Edit distance above which the diff stops being minimal. Default 4000. */
  maxEdits?: number;
}

/** The diff of `before` against `after`, with `---`/`+++` headers; "" when equal. */
export function unifiedDiff(
  before: string,
  after: string,
  labels: { from: string; to: string },
  opts: DiffOptions = {},
): string {
  if (before === after) return "";
  const a = splitLines(before);
  const b = splitLines(after);
  const edits = diffLines(a, b, opts.maxEdits ?? 4000);
  const hunks = toHunks(edits, opts.context ?? 3);
  return `--- ${labels.from}\n+++ ${labels.to}\n${hunks}`;
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function diffLines(a: string[], b: string[], maxEdits: number): Edit[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const middle = myers(a.slice(start, endA), b.slice(start, endB), maxEdits) ?? [
    ...a.slice(start, endA).map((line): Edit => ({ kind: "-", line })),
    ...b.slice(start, endB).map((line): Edit => ({ kind: "+", line })),
  ];
  return [
    ...a.slice(0, start).map((line): Edit => ({ kind: " ", line })),
    ...middle,
    ...a.slice(endA).map((line): Edit => ({ kind: " ", line })),
  ];
}

/** Myers' O(ND) diff; undefined when D would exceed `maxEdits`. */
function myers(a: string[], b: string[], maxEdits: number): Edit[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))) {
        x = v[offset + k + 1] as number;
      } else {
        x = (v[offset + k - 1] as number) + 1;
      }
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, offset, d, k);
    }
    v = next;
  }
  return undefined;
}

function backtrack(
  trace: Int32Array[],
  a: string[],
  b: string[],
  offset: number,
  dEnd: number,
  kEnd: number,
): Edit[] {
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  let k = kEnd;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d] as Int32Array;
    const down =
      k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number));
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[offset + prevK] as number;
    const prevY = prevX - prevK;
    while (x > prevX + (down ? 0 : 1) && y > prevY + (down ? 1 : 0)) {
      edits.push({ kind: " ", line: a[--x] as string });
      y--;
    }
    if (down) edits.push({ kind: "+", line: b[--y] as string });
    else edits.push({ kind: "-", line: a[--x] as string });
    k = prevK;
  }
  while (x > 0 && y > 0) {
    edits.push({ kind: " ", line: a[--x] as string });
    y--;
  }
  return edits.reverse();
}

function toHunks(edits: Edit[], context: number): string {
  const out: string[] = [];
  let i = 0;
  // Line numbers (1-based) of edits[i] in a and b.
  const posA: number[] = [];
  const posB: number[] = [];
  let la = 1;
  let lb = 1;
  for (const e of edits) {
    posA.push(la);
    posB.push(lb);
    if (e.kind !== "+") la++;
    if (e.kind !== "-") lb++;
  }
  while (i < edits.length) {
    if ((edits[i] as Edit).kind === " ") {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    // Extend while the next change is within 2*context unchanged lines.
    for (;;) {
      while (end < edits.length && (edits[end] as Edit).kind !== " ") end++;
      let gap = end;
      while (gap < edits.length && (edits[gap] as Edit).kind === " ") gap++;
      if (gap < edits.length && gap - end <= 2 * context) end = gap;
      else break;
    }
    const stop = Math.min(edits.length, end + context);
    const slice = edits.slice(start, stop);
    const countA = slice.filter((e) => e.kind !== "+").length;
    const countB = slice.filter((e) => e.kind !== "-").length;
    const startA = countA === 0 ? (posA[start] as number) - 1 : (posA[start] as number);
    const startB = countB === 0 ? (posB[start] as number) - 1 : (posB[start] as number);
    out.push(`@@ -${startA},${countA} +${startB},${countB} @@`);
    for (const e of slice) out.push(`${e.kind}${e.line}`);
    i = stop;
  }
  return `${out.join("\n")}\n`;
}

/**
 * Plan diffs travel in the Ack, whose message limit is 16 MiB; at the list
 * limits one diff alone can be 19-38 MB. Each diff is cut to this many
 * characters so the answer to a big push always fits.
 */
export const MAX_PLAN_DIFF_CHARS = 2 * 1024 * 1024;

/**
 * A diff cut at the last whole line within `maxChars`, followed by one line
 * that says how much was left out; unchanged when it already fits.
 */
export function capDiff(diff: string, maxChars = MAX_PLAN_DIFF_CHARS): string {
  if (diff.length <= maxChars) return diff;
  const cut = diff.lastIndexOf("\n", maxChars - 1) + 1;
  const rest = diff.slice(cut);
  const lines = rest.split("\n").length - (rest.endsWith("\n") ? 1 : 0);
  return `${diff.slice(0, cut)}... diff truncated: ${lines} more lines (${rest.length} characters); \`routerctl render\` writes the whole desired state\n`;
}
