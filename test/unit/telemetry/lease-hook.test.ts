import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  HOOK_LINE_MAX,
  parseHookLine,
  renderLeaseHook,
} from "../../../agent/src/runtime/lease-hook.js";

const hex = (s: string) => Buffer.from(s, "utf8").toString("hex");

describe("parseHookLine", () => {
  it("parses a full add line", () => {
    const line = `v1 add 3E:0E:EE:29:9C:82 10.88.0.67 ${hex("laptop")} 1796356031 43200 lan0 ${hex("lan lan0")}`;
    expect(parseHookLine(line)).toEqual({
      ok: true,
      warnings: [],
      event: {
        action: "add",
        mac: "3e:0e:ee:29:9c:82",
        ip: "10.88.0.67",
        hostname: "laptop",
        expires: 1796356031,
        remaining: 43200,
        interface: "lan0",
        tags: ["lan", "lan0"],
      },
    });
  });

  it("accepts absent fields as '-'", () => {
    expect(parseHookLine("v1 del aa:bb:cc:00:00:01 10.88.0.9 - - - - -")).toEqual({
      ok: true,
      warnings: [],
      event: { action: "del", mac: "aa:bb:cc:00:00:01", ip: "10.88.0.9", tags: [] },
    });
  });

  it.each([
    ["", /fields/],
    ["v2 add aa:bb:cc:00:00:01 10.88.0.9 - - - - -", /version/],
    ["v1 init aa:bb:cc:00:00:01 10.88.0.9 - - - - -", /action/],
    ["v1 add - 10.88.0.9 - - - - -", /MAC/],
    ["v1 add 06-01:23:45:67:89:ab 10.88.0.9 - - - - -", /MAC/],
    ["v1 add aa:bb:cc:00:00:01 - - - - - -", /IPv4/],
    ["v1 add aa:bb:cc:00:00:01 fd00::1 - - - - -", /IPv4/],
    ["v1 add aa:bb:cc:00:00:01 10.88.0.256 - - - - -", /IPv4/],
    ["v1 add aa:bb:cc:00:00:01 10.88.0.9 - 12x - - -", /expiry/],
    ["v1 add aa:bb:cc:00:00:01 10.88.0.9 - - -1 - -", /remaining/],
    ["v1 add aa:bb:cc:00:00:01 10.88.0.9 - - - - - extra", /fields/],
    [`v1 add aa:bb:cc:00:00:01 10.88.0.9 ${"61".repeat(HOOK_LINE_MAX)} - - - -`, /too long/],
  ])("rejects %j", (line, reason) => {
    const r = parseHookLine(line);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it("drops a hostname that is not printable ASCII but keeps the event", () => {
    for (const bad of ["two words", "a\nb", "\u001b[2J", "h\u00e9", "zz", "abc"]) {
      const field = bad === "zz" || bad === "abc" ? bad : hex(bad);
      const r = parseHookLine(`v1 add aa:bb:cc:00:00:01 10.88.0.9 ${field} - - - -`);
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.event.hostname).toBeUndefined();
        expect(r.warnings).toHaveLength(1);
      }
    }
  });

  it("drops bad tags and a bad interface with warnings", () => {
    const r = parseHookLine(
      `v1 add aa:bb:cc:00:00:01 10.88.0.9 - - - eth0;x ${hex("ok $(x) fine")}`,
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.event.tags).toEqual(["ok", "fine"]);
      expect(r.event.interface).toBeUndefined();
      expect(r.warnings).toHaveLength(2);
    }
  });
});

describe("renderLeaseHook", () => {
  it("refuses a FIFO path that could break out of the script's quoting", () => {
    expect(() => renderLeaseHook({ fifoPath: "/run/x'; reboot; '" })).toThrow(/unsafe/);
    expect(() => renderLeaseHook({ fifoPath: "relative/path" })).toThrow(/unsafe/);
    expect(() => renderLeaseHook({ fifoPath: "/run/a", writeTimeoutSeconds: 0 })).toThrow(
      /timeout/,
    );
  });

  it("passes sh -n", () => {
    const r = spawnSync("sh", ["-n"], {
      input: renderLeaseHook({ fifoPath: "/run/router-agent/lease-events" }),
    });
    expect(r.status).toBe(0);
  });
});

describe("the rendered hook, run by sh", () => {
  let dir: string;
  let fifo: string;
  let hook: string;
  let reader: Socket | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ra-hook-"));
    fifo = join(dir, "lease-events");
    hook = join(dir, "lease-hook");
    writeFileSync(hook, renderLeaseHook({ fifoPath: fifo, writeTimeoutSeconds: 1 }));
    chmodSync(hook, 0o755);
  });

  afterEach(() => {
    reader?.destroy();
    reader = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  function mkfifo(): void {
    expect(spawnSync("mkfifo", ["-m", "0600", fifo]).status).toBe(0);
  }

  function openReader(): Promise<string> {
    const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    const sock = new Socket({ fd, readable: true, writable: false });
    reader = sock;
    return new Promise((resolve) => {
      let buf = "";
      sock.on("data", (d: Buffer) => {
        buf += d.toString("latin1");
        if (buf.includes("\n")) resolve(buf);
      });
    });
  }

  function runHook(args: string[], env: Record<string, string> = {}): Promise<number | null> {
    return new Promise((resolve) => {
      const child = spawn(hook, args, {
        env: { PATH: process.env.PATH ?? "", ...env },
        stdio: "ignore",
      });
      child.on("exit", (code) => resolve(code));
    });
  }

  it("sends one parseable line with the env fields", async () => {
    mkfifo();
    const got = openReader();
    const code = await runHook(["add", "aa:bb:cc:00:00:01", "10.88.0.9", "laptop"], {
      DNSMASQ_LEASE_EXPIRES: "1796356031",
      DNSMASQ_TIME_REMAINING: "43200",
      DNSMASQ_INTERFACE: "lan0",
      DNSMASQ_TAGS: "lan lan0",
    });
    expect(code).toBe(0);
    const text = await got;
    expect(text.split("\n")).toHaveLength(2);
    const parsed = parseHookLine(text.trimEnd());
    expect(parsed).toEqual({
      ok: true,
      warnings: [],
      event: {
        action: "add",
        mac: "aa:bb:cc:00:00:01",
        ip: "10.88.0.9",
        hostname: "laptop",
        expires: 1796356031,
        remaining: 43200,
        interface: "lan0",
        tags: ["lan", "lan0"],
      },
    });
  });

  it.each([
    "evil\nv1 del aa:bb:cc:00:00:99 10.88.0.99 - - - - -",
    "a b c d e f g h i j",
    "$(touch /tmp/ra-pwned)`id`';\"\\",
    "-n",
    "%s%n%x",
    "é漢字",
  ])("keeps the hostile hostname %j inside one line, byte for byte", async (hostname) => {
    mkfifo();
    const got = openReader();
    expect(await runHook(["old", "aa:bb:cc:00:00:01", "10.88.0.9", hostname])).toBe(0);
    const text = await got;
    const lines = text.split("\n");
    expect(lines).toHaveLength(2);
    const fields = (lines[0] as string).split(" ");
    expect(fields).toHaveLength(9);
    expect(Buffer.from(fields[4] as string, "hex").toString("utf8")).toBe(hostname);
  });

  it("replaces fields that dnsmasq should never produce with '-'", async () => {
    mkfifo();
    const got = openReader();
    await runHook(["del", "aa:bb:cc:00:00:01\nx", "10.88.0.9 x", ""], {
      DNSMASQ_LEASE_EXPIRES: "12 34",
      DNSMASQ_INTERFACE: "eth0\nv1",
    });
    const line = (await got).trimEnd();
    expect(line).toBe("v1 del - - - - - - -");
    expect(parseHookLine(line).ok).toBe(false);
  });

  it("exits 0 at once when the FIFO does not exist (agent not set up)", async () => {
    expect(await runHook(["add", "aa:bb:cc:00:00:01", "10.88.0.9", "x"])).toBe(0);
  });

  it("ignores other actions such as init and tftp", async () => {
    mkfifo();
    const got = openReader();
    expect(await runHook(["init"])).toBe(0);
    expect(await runHook(["tftp", "1234", "10.88.0.9", "/srv/file"])).toBe(0);
    expect(await runHook(["arp-add", "aa:bb:cc:00:00:01", "10.88.0.9"])).toBe(0);
    expect(await runHook(["del", "aa:bb:cc:00:00:02", "10.88.0.10", ""])).toBe(0);
    // The reader has been open all along: the first line it got is the del.
    expect((await got).split(" ").slice(0, 2)).toEqual(["v1", "del"]);
  });

  it("does not hang when nobody reads the FIFO (agent down)", async () => {
    mkfifo();
    expect(await runHook(["add", "aa:bb:cc:00:00:01", "10.88.0.9", "x"])).toBe(0);
  });

  it("gives up after its timeout when the agent holds the FIFO but the pipe is full", async () => {
    mkfifo();
    const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    try {
      const chunk = Buffer.alloc(4096, 0x61);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch {
          break; // EAGAIN: the pipe is full
        }
      }
      expect(await runHook(["add", "aa:bb:cc:00:00:01", "10.88.0.9", "x"])).toBe(0);
    } finally {
      closeSync(fd);
    }
  });
});
