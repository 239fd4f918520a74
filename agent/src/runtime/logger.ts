/**
 * The agent's one root logger: pino, JSON lines on stdout, level names
 * instead of numbers. Components log through `logger.child({ component })`
 * (nft, dnsmasq, links, api, leases, counters).
 *
 * Under systemd (stdout connected to the journal, `$JOURNAL_STREAM` set)
 * every line starts with a syslog priority prefix such as `<6>`; journald
 * strips it and files the line at that priority, so `journalctl -p warning`
 * works while the message stays plain JSON.
 */
import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** syslog priorities of pino's levels. */
const PRIORITY: Record<string, number> = {
  trace: 7,
  debug: 7,
  info: 6,
  warn: 4,
  error: 3,
  fatal: 2,
};

export interface LoggerOptions {
  level?: LogLevel;
  /** Default: stdout, synchronously (no line is lost on a crash). */
  destination?: DestinationStream;
  /** Prefix lines with `<priority>` for journald. Default: whether `$JOURNAL_STREAM` is set. */
  journald?: boolean;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const journald = opts.journald ?? process.env.JOURNAL_STREAM !== undefined;
  return pino(
    {
      level: opts.level ?? "info",
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      ...(journald ? { hooks: { streamWrite: withPriority } } : {}),
    },
    opts.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** `<6>{"level":"info",...}`: the priority of the line's level, then the line. */
export function withPriority(line: string): string {
  const level = /"level":"(\w+)"/.exec(line)?.[1] ?? "info";
  return `<${PRIORITY[level] ?? 6}>${line}`;
}
