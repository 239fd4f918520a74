import { describe, expect, it } from "vitest";
import { parseLeaseFile, parseLeaseLine } from "../../../agent/src/runtime/lease-file.js";

const GOOD = [
  "1796356031 3e:0e:ee:29:9c:82 10.88.0.67 evil 01:3e:0e:ee:29:9c:82",
  "0 AA:BB:CC:00:00:01 10.88.0.10 printer *",
  "1796356000 aa:bb:cc:00:00:02 10.88.0.11 * *",
].join("\n");

describe("parseLeaseFile", () => {
  it("parses IPv4 leases, normalises MACs and maps * to absent", () => {
    const r = parseLeaseFile(`${GOOD}\n`);
    expect(r.complete).toBe(true);
    expect(r.skipped).toEqual([]);
    expect(r.leases).toEqual([
      {
        expiresAt: 1796356031,
        mac: "3e:0e:ee:29:9c:82",
        ip: "10.88.0.67",
        hostname: "evil",
        clientId: "01:3e:0e:ee:29:9c:82",
      },
      { expiresAt: 0, mac: "aa:bb:cc:00:00:01", ip: "10.88.0.10", hostname: "printer" },
      { expiresAt: 1796356000, mac: "aa:bb:cc:00:00:02", ip: "10.88.0.11" },
    ]);
  });

  it("treats an empty file as complete and empty", () => {
    expect(parseLeaseFile("")).toEqual({ leases: [], skipped: [], complete: true });
  });

  it("reports a short read (no final newline) as incomplete and drops the torn line", () => {
    const text = `${GOOD}\n1796356999 aa:bb:cc:00:00:03 10.88.0`;
    const r = parseLeaseFile(text);
    expect(r.complete).toBe(false);
    expect(r.leases.map((l) => l.ip)).toEqual(["10.88.0.67", "10.88.0.10", "10.88.0.11"]);
    expect(r.skipped).toEqual([{ line: 4, reason: "unterminated last line" }]);
  });

  it("skips garbage, IPv6 lines and the duid line with reasons", () => {
    const text = [
      "duid 00:01:00:01:2c:5f:1e:2a:52:54:00:12:34:56",
      "1796356031 3e:0e:ee:29:9c:82 10.88.0.67 evil *",
      "1796356031 12345678 fd00::5 host6 00:01:00:01",
      "garbage",
      "",
      "-5 aa:bb:cc:00:00:01 10.88.0.10 x *",
      "1796356031 aa:bb:cc:00:00:01 10.88.0.300 x *",
      "1796356031 aa:bb:cc:00:00:01 010.88.0.3 x *",
      "1796356031 06-01:23:45:67:89:ab 10.88.0.3 x *",
      "\u0000\u0001binary",
    ].join("\n");
    const r = parseLeaseFile(`${text}\n`);
    expect(r.leases.map((l) => l.ip)).toEqual(["10.88.0.67"]);
    expect(r.skipped.map((s) => s.line)).toEqual([1, 3, 4, 6, 7, 8, 9, 10]);
    expect(r.skipped[0]?.reason).toMatch(/DUID/);
  });

  it("never lets a hostile hostname through as anything but inert text", () => {
    // dnsmasq sanitises names, but the file is read as untrusted anyway.
    expect(parseLeaseLine("1 aa:bb:cc:00:00:01 10.88.0.9 $(reboot) *")).toMatchObject({
      hostname: "$(reboot)",
    });
    const control = parseLeaseLine("1 aa:bb:cc:00:00:01 10.88.0.9 a\u001b[31mb *");
    expect(control).toMatchObject({ ip: "10.88.0.9" });
    expect(typeof control === "object" && control.hostname).toBe(undefined);
    const nonAscii = parseLeaseLine("1 aa:bb:cc:00:00:01 10.88.0.9 h\u00e9 *");
    expect(typeof nonAscii === "object" && nonAscii.hostname).toBe(undefined);
    // A name with a space would be a sixth field: the line is rejected, not misread.
    expect(parseLeaseLine("1 aa:bb:cc:00:00:01 10.88.0.9 two words *")).toMatch(/fields/);
  });

  it("keeps the last line for a duplicated IP", () => {
    const r = parseLeaseFile(
      "1 aa:bb:cc:00:00:01 10.88.0.9 a *\n2 aa:bb:cc:00:00:02 10.88.0.9 b *\n",
    );
    expect(r.leases).toEqual([
      { expiresAt: 2, mac: "aa:bb:cc:00:00:02", ip: "10.88.0.9", hostname: "b" },
    ]);
  });

  it("accepts CRLF line ends", () => {
    expect(parseLeaseFile("1 aa:bb:cc:00:00:01 10.88.0.9 a *\r\n").leases).toHaveLength(1);
  });
});
