/**
 * Receives the lease hook's lines (see `lease-hook.ts`) on a FIFO.
 *
 * The listener creates the FIFO (mode 0600) if needed and opens it read-write
 * and non-blocking: holding a write end itself means the read side never sees
 * EOF when a hook instance closes, and opening never waits. Each complete line
 * is parsed and validated; a valid one is handed to `onEvent` synchronously,
 * in the same tick the bytes arrive. Malformed or over-long lines are dropped
 * with a warning that quotes at most a short, escaped prefix of the line.
 */
import { constants, promises as fsp, openSync } from "node:fs";
import { Socket } from "node:net";
import { dirname } from "node:path";
import type { Logger } from "pino";
import type { Exec } from "./exec.js";
import { HOOK_LINE_MAX, type HookEvent, parseHookLine } from "./lease-hook.js";

export interface LeaseListenerOptions {
  /** Absolute FIFO path, e.g. `/run/router-agent/lease-events`. */
  fifoPath: string;
  /** Used once, to run `mkfifo` (Node cannot create a FIFO itself). */
  exec: Exec;
  logger: Logger;
  /** Called synchronously for each valid line. Exceptions are logged and swallowed. */
  onEvent: (event: HookEvent) => void;
}

export class LeaseListener {
  private socket: Socket | undefined;
  private pending = "";
  private discarding = false;
  private received = 0;
  private dropped = 0;

  constructor(private readonly opts: LeaseListenerOptions) {}

  /**
   * Creates the FIFO (replacing anything else at that path) and starts
   * reading. Throws if the FIFO cannot be created or opened. Idempotent.
   */
  async start(): Promise<void> {
    if (this.socket) return;
    const { fifoPath, exec } = this.opts;
    await fsp.mkdir(dirname(fifoPath), { recursive: true, mode: 0o755 });
    const st = await fsp.lstat(fifoPath).catch(() => undefined);
    if (st && !st.isFIFO()) await fsp.rm(fifoPath, { force: true, recursive: true });
    if (!st?.isFIFO()) {
      const r = await exec.run("mkfifo", ["-m", "0600", fifoPath]);
      if (r.code !== 0) {
        throw new Error(`lease listener: mkfifo ${fifoPath} failed: ${r.stderr.trim()}`);
      }
    }
    await fsp.chmod(fifoPath, 0o600);
    const fd = openSync(fifoPath, constants.O_RDWR | constants.O_NONBLOCK);
    const socket = new Socket({ fd, readable: true, writable: false });
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => this.feed(chunk));
    socket.on("error", (err) => this.opts.logger.error({ err }, "lease FIFO read failed"));
    this.socket = socket;
    this.opts.logger.debug({ fifo: fifoPath }, "listening for lease events");
  }

  /** Stops reading and closes the FIFO. The FIFO stays; the hook then writes into nothing. */
  stop(): void {
    this.socket?.destroy();
    this.socket = undefined;
    this.pending = "";
    this.discarding = false;
  }

  /** Lines received and lines dropped as malformed since start. */
  stats(): { received: number; dropped: number } {
    return { received: this.received, dropped: this.dropped };
  }

  /**
   * Splits raw FIFO data into lines and dispatches each one. Public so that
   * tests can drive the framing without a FIFO. Bytes arrive as latin1 so a
   * stray non-ASCII byte cannot merge or split lines.
   */
  feed(chunk: string): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf("\n", start);
      if (nl < 0) break;
      const piece = chunk.slice(start, nl);
      start = nl + 1;
      if (this.discarding) {
        this.discarding = false;
        this.pending = "";
        continue;
      }
      const line = this.pending + piece;
      this.pending = "";
      this.dispatch(line);
    }
    if (this.discarding) return;
    this.pending += chunk.slice(start);
    if (this.pending.length >= HOOK_LINE_MAX) {
      this.drop(this.pending, "line too long");
      this.pending = "";
      this.discarding = true;
    }
  }

  private dispatch(line: string): void {
    if (line === "") return;
    this.received++;
    const parsed = parseHookLine(line);
    if (!parsed.ok) {
      this.drop(line, parsed.reason);
      return;
    }
    for (const warning of parsed.warnings) {
      this.opts.logger.warn(
        { ip: parsed.event.ip, mac: parsed.event.mac },
        `lease event: ${warning}`,
      );
    }
    try {
      this.opts.onEvent(parsed.event);
    } catch (err) {
      this.opts.logger.error({ err }, "lease event handler failed");
    }
  }

  private drop(line: string, reason: string): void {
    this.dropped++;
    this.opts.logger.warn(
      { reason, line: JSON.stringify(line.slice(0, 120)) },
      "dropped malformed lease event",
    );
  }
}
