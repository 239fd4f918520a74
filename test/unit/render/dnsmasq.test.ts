import { describe, expect, it } from "vitest";
import { assertConfigSafe } from "../../../agent/src/render/config-safe.js";
import { type DnsmasqFile, renderDnsmasq } from "../../../agent/src/render/dnsmasq.js";
import { richSpec, seedSpec } from "./bound-specs.js";

const layout = {
  dir: "/var/lib/router-agent/dnsmasq",
  leaseScript: "/opt/router-agent/lib/lease-hook",
};

function file(files: DnsmasqFile[], basename: string): DnsmasqFile {
  const f = files.find((x) => x.path.endsWith(`/${basename}`));
  if (f === undefined) throw new Error(`no ${basename} in ${files.map((x) => x.path).join(", ")}`);
  return f;
}

function linesOf(f: DnsmasqFile): string[] {
  return f.content.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
}

describe("renderDnsmasq", () => {
  it("always emits the same four files under the layout's directory, each with its reload class", () => {
    for (const spec of [seedSpec(), richSpec()]) {
      expect(renderDnsmasq(spec, layout).map((f) => [f.path, f.reload])).toEqual([
        ["/var/lib/router-agent/dnsmasq/dnsmasq.conf", "restart"],
        ["/var/lib/router-agent/dnsmasq/servers.conf", "sighup"],
        ["/var/lib/router-agent/dnsmasq/hosts.d/records", "inotify"],
        ["/var/lib/router-agent/dnsmasq/dhcp-hosts.d/static", "sighup"],
      ]);
    }
    const seed = renderDnsmasq(seedSpec(), layout);
    expect(file(seed, "records").content).toBe("");
    expect(file(seed, "static").content).toBe("");
  });

  it("renders the seed's dnsmasq settings: LAN-only binding, range, options, upstreams", () => {
    const files = renderDnsmasq(seedSpec(), layout);
    const conf = linesOf(file(files, "dnsmasq.conf"));
    for (const line of [
      "interface=ens7",
      "except-interface=eth0",
      "except-interface=lo",
      "bind-dynamic",
      "no-resolv",
      "servers-file=/var/lib/router-agent/dnsmasq/servers.conf",
      "hostsdir=/var/lib/router-agent/dnsmasq/hosts.d",
      "dhcp-hostsdir=/var/lib/router-agent/dnsmasq/dhcp-hosts.d",
      "dhcp-leasefile=/var/lib/router-agent/dnsmasq/leases",
      "dhcp-script=/opt/router-agent/lib/lease-hook",
      "dhcp-range=set:lan-lan2,10.88.0.50,10.88.0.200,255.255.255.0,12h",
      "dhcp-option=tag:lan-lan2,option:router,10.88.0.1",
      "dhcp-option=tag:lan-lan2,option:dns-server,10.88.0.1",
      "log-facility=-",
      "pid-file=",
    ]) {
      expect(conf).toContain(line);
    }
    expect(conf.filter((l) => l.startsWith("interface="))).toEqual(["interface=ens7"]);
    expect(conf.some((l) => l.startsWith("server="))).toBe(false);
    expect(linesOf(file(files, "servers.conf"))).toEqual(["server=1.1.1.1", "server=8.8.8.8"]);
  });

  it("renders leases, host records, domains, extra options and NXDOMAIN blocks", () => {
    const spec = richSpec();
    spec.dns.blocked_domains = ["tracker.example", "ads.example", "tracker.example"];
    const files = renderDnsmasq(spec, layout);
    const conf = linesOf(file(files, "dnsmasq.conf"));
    expect(conf).toContain("dhcp-option=tag:lan-office,option:ntp-server,10.88.1.1");
    expect(conf).toContain("domain=office.home.arpa,10.88.1.0/24");
    expect(conf).toContain("domain=home.arpa");
    expect(conf.filter((l) => l.startsWith("domain="))).toHaveLength(2);
    expect(conf).toContain("local=/home.arpa/");
    expect(conf).toContain("local=/office.home.arpa/");
    // iot has no DHCP: bound for DNS, no range.
    expect(conf).toContain("interface=ens9");
    expect(conf.some((l) => l.includes("lan-iot"))).toBe(false);
    expect(linesOf(file(files, "static"))).toEqual(["52:54:00:aa:bb:01,10.88.1.10,nas"]);
    expect(linesOf(file(files, "records"))).toEqual(["10.88.1.10 nas"]);
    expect(linesOf(file(files, "servers.conf"))).toEqual([
      "server=1.1.1.1",
      "server=8.8.8.8",
      "server=/ads.example/",
      "server=/tracker.example/",
    ]);
  });

  it("answers null-mode blocks with 0.0.0.0 and :: and keeps subdomains NXDOMAIN", () => {
    const spec = richSpec();
    spec.dns.block_mode = "null";
    const files = renderDnsmasq(spec, layout);
    expect(linesOf(file(files, "records"))).toEqual([
      "10.88.1.10 nas",
      "0.0.0.0 ads.example",
      ":: ads.example",
      "0.0.0.0 tracker.example",
      ":: tracker.example",
    ]);
    expect(linesOf(file(files, "servers.conf"))).toContain("server=/ads.example/");
  });

  it("serves static leases of a LAN without ranges through a static range", () => {
    const spec = richSpec();
    const office = spec.lans[1];
    if (office?.dhcp) office.dhcp.ranges = [];
    const conf = linesOf(file(renderDnsmasq(spec, layout), "dnsmasq.conf"));
    expect(conf).toContain("dhcp-range=set:lan-office,10.88.1.0,static,255.255.255.0,12h");
  });

  it("turns DNS off instead of listening everywhere when there is no LAN", () => {
    const spec = seedSpec();
    spec.lans = [];
    const conf = linesOf(file(renderDnsmasq(spec, layout), "dnsmasq.conf"));
    expect(conf).toContain("port=0");
    expect(conf.some((l) => l.startsWith("interface=") || l.startsWith("dhcp-range="))).toBe(false);
  });

  it("is deterministic", () => {
    expect(JSON.stringify(renderDnsmasq(richSpec(), layout))).toBe(
      JSON.stringify(renderDnsmasq(richSpec(), layout)),
    );
  });
});

describe("a newline never reaches a file", () => {
  const hostile = ["evil\nserver=6.6.6.6", "evil\rx", "evil\0x"];

  it("assertConfigSafe refuses CR, LF and NUL and passes anything else through", () => {
    for (const value of hostile) expect(() => assertConfigSafe(value)).toThrow(/refusing to write/);
    expect(assertConfigSafe("web.lan, #;'\"")).toBe("web.lan, #;'\"");
  });

  it("the renderer throws rather than write a smuggled line, wherever the value sits", () => {
    const poison: ((s: ReturnType<typeof richSpec>, v: string) => void)[] = [
      (s, v) => {
        s.dns.hosts = [{ name: v, ip: "10.88.0.9" }];
      },
      (s, v) => {
        s.dns.blocked_domains = [v];
      },
      (s, v) => {
        s.dns.upstreams = [v];
      },
      (s, v) => {
        s.dns.domain = v;
      },
      (s, v) => {
        const lease = s.lans[1]?.dhcp?.static_leases[0];
        if (lease) lease.hostname = v;
      },
      (s, v) => {
        s.lans[1]?.dhcp?.options.push({ option: "ntp-server", values: [v] });
      },
      (s, v) => {
        if (s.lans[0]) s.lans[0].ifname = v;
      },
    ];
    for (const value of hostile) {
      for (const apply of poison) {
        const spec = richSpec();
        apply(spec, value);
        expect(() => renderDnsmasq(spec, layout)).toThrow(/refusing to write/);
      }
    }
    expect(() => renderDnsmasq(richSpec(), { ...layout, leaseScript: "/x\n/y" })).toThrow(
      /refusing/,
    );
  });
});
