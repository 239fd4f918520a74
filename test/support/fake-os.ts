/**
 * A pretend machine for reconciler and router unit tests: a `FakeExec` that
 * answers `nft`, `ip` and `dnsmasq --test` from an in-memory model of the
 * agent's nft tables and the links, a `FakeFileStore` with /proc/sys, and a
 * `FakeDnsmasqControl`. `dump()` prints the whole observable state (nft
 * tables, links, sysctls, dnsmasq files, dnsmasq state), so state-table tests
 * compare one string.
 *
 * The nft model follows the kernel's semantics where the reconciler depends
 * on them: `flush table` empties chains but keeps sets, their elements and
 * counters; `add` of an existing object keeps it; a transaction is all or
 * nothing; listings carry handles and counter values.
 */
import type { ObservedLink } from "../../agent/src/render/links.js";
import { FakeDnsmasqControl } from "../../agent/src/runtime/fake-dnsmasq-control.js";
import { type ExecCall, FakeExec } from "../../agent/src/runtime/fake-exec.js";
import { FakeFileStore } from "../../agent/src/runtime/fake-file-store.js";

type Obj = Record<string, unknown>;

interface FakeTable {
  family: string;
  name: string;
  chains: Map<string, Obj>;
  rules: Map<string, Obj[]>;
  sets: Map<string, { def: Obj; elem: unknown[] }>;
  counters: Map<string, Obj>;
}

/** A link of the pretend machine: what `ip -j -d addr` would report for it. */
export type FakeLink = ObservedLink;

export class FakeOs {
  readonly exec = new FakeExec();
  readonly files = new FakeFileStore({ "/proc/sys/net/ipv4/ip_forward": "0\n" });
  readonly dnsmasq = new FakeDnsmasqControl();
  readonly links = new Map<string, FakeLink>();
  private tables = new Map<string, FakeTable>();
  private handle = 1;
  /** Commands that fail next time they run: "nft-apply", "nft-check", "dnsmasq-test", "ip". */
  readonly failNext = new Set<string>();

  constructor(links: FakeLink[] = defaultLinks()) {
    for (const l of links) this.links.set(l.ifname, structuredClone(l));
    this.exec.handle((call) => this.answer(call));
  }

  /** nft tables, links, sysctls, dnsmasq files and dnsmasq state. */
  dump(dnsmasqDir = "/var/lib/router-agent/dnsmasq"): string {
    const out: string[] = ["# nft"];
    for (const t of [...this.tables.values()].sort((a, b) => key(a).localeCompare(key(b)))) {
      out.push(`table ${t.family} ${t.name}`);
      for (const [n, c] of [...t.counters].sort()) out.push(`  counter ${n} ${c.packets}`);
      for (const [n, s] of [...t.sets].sort()) {
        out.push(`  set ${n} ${JSON.stringify(s.def.type)} ${JSON.stringify(s.elem)}`);
      }
      for (const [n, c] of [...t.chains].sort()) {
        out.push(`  chain ${n} ${JSON.stringify({ ...c, handle: undefined })}`);
        for (const r of t.rules.get(n) ?? []) out.push(`    rule ${JSON.stringify(r.expr)}`);
      }
    }
    out.push("# links");
    for (const l of [...this.links.values()].sort((a, b) => a.ifname.localeCompare(b.ifname))) {
      out.push(`${l.ifname} ${l.up ? "up" : "down"} ${l.addresses.join(" ")}`.trimEnd());
    }
    out.push("# files");
    out.push(this.files.dump("/proc/sys/"));
    out.push(this.files.dump(`${dnsmasqDir}/`));
    out.push(`# dnsmasq ${this.dnsmasq.state().running ? "running" : "stopped"}`);
    return out.join("\n");
  }

  /** Adds or replaces a table that belongs to someone else (e.g. Docker's). */
  addForeignTable(family: string, name: string): void {
    this.tables.set(`${family} ${name}`, newTable(family, name));
  }

  tableNames(): string[] {
    return [...this.tables.keys()].sort();
  }

  private answer(call: ExecCall) {
    if (call.cmd === "nft") return this.nft(call);
    if (call.cmd === "ip") return this.ip(call);
    if (call.cmd === "dnsmasq") {
      if (this.failNext.delete("dnsmasq-test")) {
        return { code: 1, stderr: "dnsmasq: bad option at line 3 of dnsmasq.conf\n" };
      }
      return { stderr: "dnsmasq: syntax check OK.\n" };
    }
    return undefined;
  }

  private nft(call: ExecCall) {
    const a = call.args;
    if (a.join(" ") === "-j list tables") {
      const tables = [...this.tables.values()].map((t) => ({
        table: { family: t.family, name: t.name, handle: 1 },
      }));
      return { stdout: JSON.stringify({ nftables: [{ metainfo: {} }, ...tables] }) };
    }
    if (a[0] === "-j" && a[1] === "list" && a[2] === "table") {
      const t = this.tables.get(`${a[3]} ${a[4]}`);
      if (!t) return { code: 1, stderr: "Error: No such file or directory\n" };
      return { stdout: JSON.stringify({ nftables: [{ metainfo: {} }, ...listing(t)] }) };
    }
    const check = a[0] === "--check";
    if (a.join(" ").endsWith("-j -f -")) {
      if (this.failNext.delete(check ? "nft-check" : "nft-apply")) {
        return { code: 1, stderr: "Error: Could not process rule: No such file or directory\n" };
      }
      const doc = JSON.parse(call.input ?? "{}") as { nftables: Obj[] };
      const next = new Map([...this.tables].map(([k, t]) => [k, cloneTable(t)]));
      try {
        for (const cmd of doc.nftables) this.command(next, cmd);
      } catch (e) {
        return { code: 1, stderr: `Error: ${(e as Error).message}\n` };
      }
      if (!check) this.tables = next;
      return {};
    }
    return { code: 1, stderr: `fake nft: unsupported: ${a.join(" ")}\n` };
  }

  private command(tables: Map<string, FakeTable>, cmd: Obj): void {
    const [verb, body] = Object.entries(cmd)[0] as [string, Obj];
    if (verb === "metainfo") return;
    const bare = !["add", "create", "delete", "flush"].includes(verb);
    const [kind, o] = (bare ? [verb, body] : Object.entries(body)[0]) as [string, Obj];
    const action = bare ? "add" : verb;
    const tkey = kind === "table" ? `${o.family} ${o.name}` : `${o.family} ${o.table}`;
    if (kind === "table") {
      if (action === "add" || action === "create") {
        if (!tables.has(tkey)) tables.set(tkey, newTable(o.family as string, o.name as string));
      } else if (action === "delete") {
        if (!tables.delete(tkey)) throw new Error(`no table ${tkey}`);
      } else if (action === "flush") {
        const t = must(tables, tkey);
        for (const name of t.rules.keys()) t.rules.set(name, []);
      }
      return;
    }
    const t = must(tables, tkey);
    const name = o.name as string;
    switch (`${action} ${kind}`) {
      case "add chain":
        if (!t.chains.has(name)) t.rules.set(name, []);
        t.chains.set(name, { ...strip(o), handle: this.handle++ });
        return;
      case "delete chain":
        if ((t.rules.get(name) ?? []).length > 0) throw new Error(`chain ${name} is not empty`);
        t.chains.delete(name);
        t.rules.delete(name);
        return;
      case "add set": {
        const def = strip(o);
        const elem = (def.elem as unknown[] | undefined) ?? [];
        delete def.elem;
        const old = t.sets.get(name);
        t.sets.set(name, { def, elem: [...(old?.elem ?? []), ...elem] });
        return;
      }
      case "flush set":
        must(t.sets, name).elem = [];
        return;
      case "delete set":
        t.sets.delete(name);
        return;
      case "add element":
        must(t.sets, name).elem.push(...(o.elem as unknown[]));
        return;
      case "add counter":
        if (!t.counters.has(name)) t.counters.set(name, { ...strip(o), packets: 0, bytes: 0 });
        return;
      case "delete counter":
        t.counters.delete(name);
        return;
      case "add rule": {
        const rules = t.rules.get(o.chain as string);
        if (!rules) throw new Error(`no chain ${o.chain as string}`);
        rules.push({ ...strip(o), handle: this.handle++ });
        return;
      }
      default:
        throw new Error(`fake nft: unsupported ${action} ${kind}`);
    }
  }

  private ip(call: ExecCall) {
    const a = call.args;
    if (a[0] === "-j") {
      const rows = [...this.links.values()].map((l) => ({
        ifname: l.ifname,
        flags: l.up ? ["BROADCAST", "UP"] : ["BROADCAST"],
        link_type: l.linkType,
        address: l.mac,
        ...(l.kind ? { linkinfo: { info_kind: l.kind } } : {}),
        addr_info: l.addresses.map((x) => {
          const [local, len] = x.split("/");
          return { family: "inet", local, prefixlen: Number(len) };
        }),
      }));
      return { stdout: JSON.stringify(rows) };
    }
    if (this.failNext.delete("ip"))
      return { code: 2, stderr: "RTNETLINK answers: Operation not permitted\n" };
    const link = this.links.get((a[0] === "link" ? a[3] : a[4]) as string);
    if (!link) return { code: 1, stderr: `Cannot find device "${a[4] ?? a[3]}"\n` };
    if (a[0] === "link" && a[1] === "set") {
      link.up = a[4] === "up";
      return {};
    }
    const address = a[2] as string;
    if (a[1] === "add") {
      if (link.addresses.includes(address))
        return { code: 2, stderr: "RTNETLINK answers: File exists\n" };
      link.addresses.push(address);
      return {};
    }
    if (a[1] === "del") {
      if (!link.addresses.includes(address)) {
        return { code: 2, stderr: "RTNETLINK answers: Cannot assign requested address\n" };
      }
      link.addresses = link.addresses.filter((x) => x !== address);
      return {};
    }
    return { code: 1, stderr: `fake ip: unsupported: ${a.join(" ")}\n` };
  }
}

export function defaultLinks(): FakeLink[] {
  return [
    { ifname: "lo", mac: "", linkType: "loopback", up: true, addresses: ["127.0.0.1/8"] },
    {
      ifname: "eth0",
      mac: "2e:31:2a:ff:7d:45",
      linkType: "ether",
      up: true,
      addresses: ["192.168.130.2/24"],
    },
    { ifname: "ens7", mac: "60:be:b4:1e:19:63", linkType: "ether", up: false, addresses: [] },
    { ifname: "ens8", mac: "60:be:b4:1e:19:64", linkType: "ether", up: false, addresses: [] },
  ];
}

/**
 * `defaultLinks()` with every link up. The agent never takes a link down, so
 * on such a machine the whole dump is independent of the apply history.
 */
export function linksAllUp(): FakeLink[] {
  return defaultLinks().map((l) => ({ ...l, up: true }));
}

function key(t: FakeTable): string {
  return `${t.family} ${t.name}`;
}

function newTable(family: string, name: string): FakeTable {
  return {
    family,
    name,
    chains: new Map(),
    rules: new Map(),
    sets: new Map(),
    counters: new Map(),
  };
}

function cloneTable(t: FakeTable): FakeTable {
  return structuredClone(t);
}

function must<K, V>(map: Map<K, V>, k: K): V {
  const v = map.get(k);
  if (v === undefined) throw new Error(`No such file or directory: ${String(k)}`);
  return v;
}

function strip(o: Obj): Obj {
  const { handle: _h, ...rest } = o;
  return structuredClone(rest);
}

function listing(t: FakeTable): Obj[] {
  const out: Obj[] = [{ table: { family: t.family, name: t.name, handle: 1 } }];
  for (const c of t.counters.values()) out.push({ counter: { ...c, handle: 1 } });
  for (const s of t.sets.values()) {
    out.push({ set: { ...s.def, handle: 1, ...(s.elem.length > 0 ? { elem: s.elem } : {}) } });
  }
  for (const c of t.chains.values()) out.push({ chain: c });
  for (const [, rules] of t.rules) for (const r of rules) out.push({ rule: r });
  return out;
}
