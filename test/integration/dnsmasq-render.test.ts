/**
 * The rendered dnsmasq files run by the real dnsmasq in a throwaway network
 * namespace (a LAN veth with 10.88.0.1/24 and a WAN veth with
 * 192.168.130.2/24): DNS is served on the LAN address only, host records
 * resolve, blocked domains answer NXDOMAIN (with subdomains) or 0.0.0.0, and
 * each file's reload class is the truth: a `sighup` file takes effect after
 * SIGHUP, an `inotify` file without any signal. Needs root. No packet leaves
 * the namespace: the only upstream is in 203.0.113.0/24 and is unreachable.
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BoundSpec } from "../../agent/src/model/types.js";
import { type DnsmasqFile, renderDnsmasq } from "../../agent/src/render/dnsmasq.js";
import { addNamespace, deleteNamespace, ip, nsRun, randomPrefix } from "../support/netns.js";
import { type BackgroundProcess, startProcess } from "../support/processes.js";
import { seedSpec } from "../unit/render/bound-specs.js";

const prefix = randomPrefix();
const ns = `${prefix}-dns`;
let tmp = "";
let dnsmasq: BackgroundProcess | undefined;

/** Resolves one name against `server` from inside the namespace: the answers or the error code. */
const QUERY = `
const { Resolver } = require("node:dns").promises;
const [server, name, type] = process.argv.slice(1);
const r = new Resolver({ timeout: 1000, tries: 1 });
r.setServers([server]);
r.resolve(name, type).then((a) => console.log(JSON.stringify(a)), (e) => console.log(JSON.stringify(e.code)));
`;

async function query(name: string, type = "A", server = "10.88.0.1"): Promise<unknown> {
  const { stdout } = await nsRun(ns, process.execPath, ["-e", QUERY, server, name, type]);
  return JSON.parse(stdout);
}

/** Polls until `name` resolves to `expected` or the deadline passes; returns the last answer. */
async function eventually(name: string, expected: unknown, type = "A"): Promise<unknown> {
  const deadline = Date.now() + 10_000;
  let answer: unknown;
  do {
    answer = await query(name, type);
    if (JSON.stringify(answer) === JSON.stringify(expected)) return answer;
    await new Promise((r) => setTimeout(r, 100));
  } while (Date.now() < deadline);
  return answer;
}

function spec(edit: (s: BoundSpec) => void): BoundSpec {
  const s = seedSpec();
  s.lans[0] = {
    ...(s.lans[0] as BoundSpec["lans"][0]),
    ifname: "lan0",
    interface: { name: "lan0" },
  };
  s.wan.interface = "wan0";
  s.dns.upstreams = ["203.0.113.53"];
  s.dns.domain = "lan";
  s.dns.hosts = [{ name: "nas.lan", ip: "10.88.0.10" }];
  s.dns.blocked_domains = ["ads.example"];
  edit(s);
  return s;
}

/** Writes the files whose content changed (atomically, as the runtime does); returns them. */
function writeChanged(files: DnsmasqFile[]): DnsmasqFile[] {
  const changed: DnsmasqFile[] = [];
  for (const f of files) {
    let old: string | undefined;
    try {
      old = readFileSync(f.path, "utf8");
    } catch {
      old = undefined;
    }
    if (old === f.content) continue;
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(`${f.path}.tmp`, f.content);
    renameSync(`${f.path}.tmp`, f.path);
    changed.push(f);
  }
  return changed;
}

const layout = () => ({ dir: join(tmp, "dnsmasq"), leaseScript: "/bin/true" });

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), `${prefix}-`));
  // dnsmasq drops root for "nobody" and then reads servers-file, hostsdir and
  // dhcp-hostsdir, at start and on every reload: they must be readable to it.
  chmodSync(tmp, 0o755);
  await addNamespace(ns);
  for (const [name, address] of [
    ["lan0", "10.88.0.1/24"],
    ["wan0", "192.168.130.2/24"],
  ] as const) {
    await ip(ns, ["link", "add", name, "type", "veth", "peer", "name", `${name}p`]);
    await ip(ns, ["link", "set", name, "up"]);
    await ip(ns, ["link", "set", `${name}p`, "up"]);
    await ip(ns, ["addr", "add", address, "dev", name]);
  }
  writeChanged(
    renderDnsmasq(
      spec(() => {}),
      layout(),
    ),
  );
  dnsmasq = startProcess({
    name: "dnsmasq",
    ns,
    cmd: "dnsmasq",
    args: ["--keep-in-foreground", `--conf-file=${join(tmp, "dnsmasq", "dnsmasq.conf")}`],
    logFile: join(tmp, "dnsmasq.log"),
  });
});

afterAll(async () => {
  try {
    await dnsmasq?.stop();
    await deleteNamespace(ns);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

describe("the real dnsmasq with the rendered files", () => {
  it("serves host records on the LAN address and nothing on the WAN address", async () => {
    expect(await eventually("nas.lan", ["10.88.0.10"])).toEqual(["10.88.0.10"]);
    expect(dnsmasq?.running()).toBe(true);
    expect(await query("nas.lan", "A", "192.168.130.2")).toBe("ECONNREFUSED");
  });

  it("answers NXDOMAIN for a blocked domain and its subdomains", async () => {
    expect(await query("ads.example")).toBe("ENOTFOUND");
    expect(await query("deep.sub.ads.example")).toBe("ENOTFOUND");
  });

  it("takes a new blocklist in null mode after SIGHUP, the reload class of the files that changed", async () => {
    const changed = writeChanged(
      renderDnsmasq(
        spec((s) => {
          s.dns.block_mode = "null";
          s.dns.blocked_domains = ["ads.example", "tracker.example"];
        }),
        layout(),
      ),
    );
    expect(changed.map((f) => [f.path.slice(tmp.length), f.reload])).toEqual([
      ["/dnsmasq/servers.conf", "sighup"],
      ["/dnsmasq/hosts.d/records", "inotify"],
    ]);
    dnsmasq?.signal("SIGHUP");
    expect(await eventually("tracker.example", ["0.0.0.0"])).toEqual(["0.0.0.0"]);
    expect(await query("ads.example", "AAAA")).toEqual(["::"]);
    expect(await query("x.tracker.example")).toBe("ENOTFOUND");
  });

  it("picks up added and removed host records from hostsdir without a signal", async () => {
    const changed = writeChanged(
      renderDnsmasq(
        spec((s) => {
          s.dns.block_mode = "null";
          s.dns.blocked_domains = ["ads.example", "tracker.example"];
          s.dns.hosts = [{ name: "printer.lan", ip: "10.88.0.11" }];
        }),
        layout(),
      ),
    );
    expect(changed.map((f) => f.reload)).toEqual(["inotify"]);
    expect(await eventually("printer.lan", ["10.88.0.11"])).toEqual(["10.88.0.11"]);
    expect(await eventually("nas.lan", "ENOTFOUND")).toBe("ENOTFOUND");
    expect(dnsmasq?.running()).toBe(true);
  });
});
