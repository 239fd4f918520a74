import { describe, expect, it } from "vitest";
import { parseDnsmasqLogLine, startedPid } from "../../../agent/src/runtime/dnsmasq-log.js";

describe("parseDnsmasqLogLine", () => {
  it("parses a DHCPACK with transaction id into fields", () => {
    const r = parseDnsmasqLogLine(
      "dnsmasq-dhcp[10621]: 3565342766 DHCPACK(lan0) 10.88.0.67 3e:0e:ee:29:9c:82 evil",
    );
    expect(r).toEqual({
      level: "info",
      msg: "DHCPACK(lan0) 10.88.0.67 3e:0e:ee:29:9c:82 evil",
      fields: {
        program: "dnsmasq-dhcp",
        dnsmasqPid: 10621,
        xid: 3565342766,
        dhcp: "DHCPACK",
        interface: "lan0",
        ip: "10.88.0.67",
        mac: "3e:0e:ee:29:9c:82",
        clientHostname: "evil",
      },
    });
  });

  it("parses DHCP messages without log-dhcp, without an IP, and with a reason", () => {
    expect(
      parseDnsmasqLogLine("dnsmasq-dhcp[7]: DHCPDISCOVER(ens7) aa:bb:cc:dd:ee:ff ").fields,
    ).toEqual({
      program: "dnsmasq-dhcp",
      dnsmasqPid: 7,
      dhcp: "DHCPDISCOVER",
      interface: "ens7",
      mac: "aa:bb:cc:dd:ee:ff",
    });
    const nak = parseDnsmasqLogLine(
      "dnsmasq-dhcp[7]: DHCPNAK(ens7) 10.1.2.3 aa:bb:cc:dd:ee:ff wrong network",
    );
    expect(nak.fields).toMatchObject({ dhcp: "DHCPNAK", ip: "10.1.2.3", detail: "wrong network" });
    expect(nak.fields.clientHostname).toBeUndefined();
  });

  it("recognises the started line and its PID", () => {
    const r = parseDnsmasqLogLine("dnsmasq[13855]: started, version 2.90 DNS disabled");
    expect(r.level).toBe("info");
    expect(startedPid(r)).toBe(13855);
    expect(
      startedPid(parseDnsmasqLogLine("dnsmasq[1]: read /etc/hosts - 7 names")),
    ).toBeUndefined();
    expect(startedPid(parseDnsmasqLogLine("dnsmasq-dhcp[1]: started, version 2"))).toBeUndefined();
  });

  it("raises warnings and startup errors", () => {
    expect(
      parseDnsmasqLogLine("dnsmasq[5]: failed to access /x: No such file or directory").level,
    ).toBe("warn");
    expect(parseDnsmasqLogLine("dnsmasq: bad option at line 2 of /tmp/dd/d.conf")).toEqual({
      level: "error",
      msg: "bad option at line 2 of /tmp/dd/d.conf",
      fields: { program: "dnsmasq" },
    });
    expect(
      parseDnsmasqLogLine("dnsmasq: failed to create listening socket for port 53: Address in use")
        .level,
    ).toBe("warn");
  });

  it("keeps unknown shapes whole and never throws on junk", () => {
    expect(parseDnsmasqLogLine("something else entirely")).toEqual({
      level: "info",
      msg: "something else entirely",
      fields: {},
    });
    for (const junk of [
      "",
      "dnsmasq[",
      "dnsmasq-dhcp[1]: DHCPACK(",
      "\u0000\u0001",
      "dnsmasq-dhcp[1]: 12",
    ]) {
      expect(() => parseDnsmasqLogLine(junk)).not.toThrow();
    }
  });

  it("does not let a client hostname become a field name or a level", () => {
    const r = parseDnsmasqLogLine(
      'dnsmasq-dhcp[1]: DHCPACK(lan0) 10.0.0.2 aa:bb:cc:dd:ee:ff {"level":60}',
    );
    expect(r.level).toBe("info");
    expect(r.fields.clientHostname).toBe('{"level":60}');
  });
});
