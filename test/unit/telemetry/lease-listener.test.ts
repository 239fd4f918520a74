import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RealExec } from "../../../agent/src/runtime/exec.js";
import { FakeExec } from "../../../agent/src/runtime/fake-exec.js";
import type { HookEvent } from "../../../agent/src/runtime/lease-hook.js";
import { LeaseListener } from "../../../agent/src/runtime/lease-listener.js";
import { memoryLogger } from "../../support/memory-logger.js";

const LINE = "v1 add aa:bb:cc:00:00:01 10.88.0.57 6c6170746f70 1796356031 43200 lan0 6c616e";

function listener(fifoPath = "/nonexistent/fifo") {
  const mem = memoryLogger();
  const events: HookEvent[] = [];
  const l = new LeaseListener({
    fifoPath,
    exec: new FakeExec(),
    logger: mem.logger,
    onEvent: (e) => events.push(e),
  });
  return { l, events, mem };
}

describe("LeaseListener framing", () => {
  it("reassembles lines split across chunks and handles several per chunk", () => {
    const { l, events } = listener();
    l.feed(LINE.slice(0, 10));
    const del = LINE.replace("add", "del");
    l.feed(`${LINE.slice(10)}\n${LINE.replace("add", "old")}\n${del.slice(0, 5)}`);
    expect(events.map((e) => e.action)).toEqual(["add", "old"]);
    l.feed(`${del.slice(5)}\n`);
    expect(events.map((e) => e.action)).toEqual(["add", "old", "del"]);
    expect(events[0]).toMatchObject({ hostname: "laptop", tags: ["lan"], interface: "lan0" });
  });

  it("drops malformed lines with a warning and keeps going", () => {
    const { l, events, mem } = listener();
    l.feed(`garbage\nv1 add not-a-mac 10.88.0.1 - - - - -\n${LINE}\n`);
    expect(events).toHaveLength(1);
    const warns = mem.records().filter((r) => r.msg === "dropped malformed lease event");
    expect(warns).toHaveLength(2);
    expect(l.stats()).toEqual({ received: 3, dropped: 2 });
  });

  it("discards an over-long line up to its newline, then resumes", () => {
    const { l, events } = listener();
    l.feed("x".repeat(3000));
    l.feed("y".repeat(3000));
    l.feed(` still the long line\n${LINE}\n`);
    expect(events).toHaveLength(1);
    expect(l.stats().dropped).toBe(1);
  });

  it("logs and survives a throwing handler", () => {
    const mem = memoryLogger();
    const l = new LeaseListener({
      fifoPath: "/x",
      exec: new FakeExec(),
      logger: mem.logger,
      onEvent: () => {
        throw new Error("boom");
      },
    });
    l.feed(`${LINE}\n${LINE}\n`);
    expect(mem.records().filter((r) => r.msg === "lease event handler failed")).toHaveLength(2);
  });
});

describe("LeaseListener on a real FIFO", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("creates the FIFO (0600), replacing a stray file, and receives what writers send", async () => {
    dir = mkdtempSync(join(tmpdir(), "ra-listen-"));
    const fifo = join(dir, "run", "lease-events");
    spawnSync("mkdir", ["-p", join(dir, "run")]);
    writeFileSync(fifo, "not a fifo");
    const events: HookEvent[] = [];
    let notify: () => void = () => {};
    const l = new LeaseListener({
      fifoPath: fifo,
      exec: new RealExec(),
      logger: memoryLogger().logger,
      onEvent: (e) => {
        events.push(e);
        notify();
      },
    });
    await l.start();
    try {
      const st = statSync(fifo);
      expect(st.isFIFO()).toBe(true);
      expect(st.mode & 0o777).toBe(0o600);
      const two = new Promise<void>((resolve) => {
        notify = () => events.length >= 2 && resolve();
      });
      // Two separate writers, each opening and closing: the listener must not see EOF.
      spawnSync("sh", ["-c", `printf '%s\\n' "$1" 1<>"$2"`, "sh", LINE, fifo]);
      spawnSync("sh", [
        "-c",
        `printf '%s\\n' "$1" 1<>"$2"`,
        "sh",
        LINE.replace("add", "del"),
        fifo,
      ]);
      await two;
      expect(events.map((e) => e.action)).toEqual(["add", "del"]);
    } finally {
      l.stop();
    }
    // A second start reuses the FIFO.
    await l.start();
    l.stop();
  });

  it("fails start with the mkfifo error", async () => {
    const exec = new FakeExec().on("mkfifo", [], { code: 1, stderr: "mkfifo: Permission denied" });
    dir = mkdtempSync(join(tmpdir(), "ra-listen-"));
    const l = new LeaseListener({
      fifoPath: join(dir, "f"),
      exec,
      logger: memoryLogger().logger,
      onEvent: () => {},
    });
    await expect(l.start()).rejects.toThrow(/Permission denied/);
  });
});
