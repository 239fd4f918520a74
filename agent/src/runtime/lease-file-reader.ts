/**
 * Reads dnsmasq's lease file defensively. dnsmasq rewrites it in place
 * (truncate, then write the lines), so one read can see an empty file or a
 * cut-off last line. A read is trusted only when two consecutive reads are
 * byte-identical and the text ends in a newline (or is empty); otherwise it
 * reads again after a short pause, a bounded number of times.
 */
import { readFile } from "node:fs/promises";
import { type LeaseFileParse, parseLeaseFile } from "./lease-file.js";

export interface LeaseFileReadOptions {
  /** Attempts before giving up on a stable read. Default 5. */
  attempts?: number;
  /** Pause between reads in ms. Default 25. */
  pauseMs?: number;
  /** The file reader; a seam for tests. Default `fs.readFile` as UTF-8. */
  read?: (path: string) => Promise<string>;
}

export type LeaseFileRead =
  /** The file does not exist (dnsmasq has not started yet): nothing is known. */
  | { kind: "missing" }
  /** Two identical, complete reads. */
  | { kind: "stable"; parse: LeaseFileParse }
  /** No two reads agreed within the attempts: the caller should not act on it. */
  | { kind: "unstable"; attempts: number };

/**
 * Reads and parses the lease file. Throws only on I/O errors other than
 * ENOENT (e.g. EACCES), with the path in the message.
 */
export async function readLeaseFile(
  path: string,
  opts: LeaseFileReadOptions = {},
): Promise<LeaseFileRead> {
  const attempts = opts.attempts ?? 5;
  const pauseMs = opts.pauseMs ?? 25;
  const read = opts.read ?? ((p: string) => readFile(p, "utf8"));
  let previous: string | undefined;
  for (let i = 0; i < attempts; i++) {
    let text: string;
    try {
      text = await read(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
      throw new Error(`cannot read lease file ${path}`, { cause: err });
    }
    const complete = text === "" || text.endsWith("\n");
    if (complete && text === previous) return { kind: "stable", parse: parseLeaseFile(text) };
    previous = complete ? text : undefined;
    if (i + 1 < attempts) await new Promise((r) => setTimeout(r, pauseMs));
  }
  return { kind: "unstable", attempts };
}
