import fc from "fast-check";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { specHash } from "../../../agent/src/model/spec-hash.js";
import type { RouterSpec } from "../../../agent/src/model/types.js";
import { AGENT_TABLES } from "../../../agent/src/render/nft.js";
import { IpLinkReader } from "../../../agent/src/runtime/link-reader.js";
import { NftRunner } from "../../../agent/src/runtime/nft-runner.js";
import { Reconciler, type SetResult } from "../../../agent/src/runtime/reconciler.js";
import { ProcSysctl } from "../../../agent/src/runtime/sysctl.js";
import { FakeOs, linksAllUp } from "../../support/fake-os.js";
import { lan, seedSpec, specWith } from "../../support/runtime-specs.js";

const DIR = "/var/lib/router-agent/dnsmasq";

function setup(os = new FakeOs()) {
  const reconciler = new Reconciler({
    exec: os.exec,
    files: os.files,
    links: new IpLinkReader(os.exec),
    nft: new NftRunner(os.exec, [...AGENT_TABLES]),
    sysctl: new ProcSysctl(os.files),
    dnsmasq: os.dnsmasq,
    layout: { dir: DIR, leaseScript: "/usr/lib/router-agent/lease-hook" },
    scratchDir: "/run/router-agent",
    logger: pino({ level: "silent" }),
  });
  const set = (spec: RouterSpec, opts: { force?: boolean; persist?: () => Promise<void> } = {}) =>
    reconciler.set(spec, { hash: specHash(spec), ...opts });
  return { os, reconciler, set };
}

function expectApplied(r: SetResult): void {
  if (r.kind !== "applied") throw new Error(`expected applied, got ${JSON.stringify(r)}`);
}

/** The desired states of the state table, each with the link and file lines it must leave. */
const STATES: { name: string; spec: RouterSpec; links: string; files: string[] }[] = [
  {
    name: "seed",
    spec: seedSpec(),
    links: "eth0 up 192.168.130.2/24\nens7 up 10.88.0.1/24\nens8 down\nlo up 127.0.0.1/8",
    files: ["dhcp-hosts.d/static", "dnsmasq.conf", "hosts.d/records", "servers.conf"],
  },
  {
    name: "seed with static leases, host records and other upstreams",
    spec: specWith((s) => {
      s.dns.upstreams = ["9.9.9.9"];
      s.dns.hosts = [{ name: "nas", ip: "10.88.0.5" }];
      (s.lans[0]?.dhcp as NonNullable<RouterSpec["lans"][0]["dhcp"]>).static_leases = [
        { mac: "aa:bb:cc:dd:ee:01", ip: "10.88.0.10", hostname: "pi" },
      ];
    }),
    links: "eth0 up 192.168.130.2/24\nens7 up 10.88.0.1/24\nens8 down\nlo up 127.0.0.1/8",
    files: ["dhcp-hosts.d/static", "dnsmasq.conf", "hosts.d/records", "servers.conf"],
  },
  {
    name: "two LANs that may talk, a port forward and a rule",
    spec: specWith((s) => {
      s.lans = [
        { ...lan("lan1", "ens7", 1), allow_lans: ["lan2"] },
        { ...lan("lan2", "ens8", 2), blocked_destinations: ["192.168.1.0/24", "2001:db8::/32"] },
      ];
      s.firewall.port_forwards = [
        {
          id: "web",
          protocol: "tcp",
          wan_port: 8080,
          to: "10.1.0.10",
          to_port: 80,
          source_cidrs: ["203.0.113.0/24"],
          hairpin: true,
        },
      ];
      s.firewall.rules = [
        {
          id: "no-ssh",
          chain: "forward",
          action: "drop",
          from: "lan2",
          to: "lan1",
          protocol: "tcp",
          source_cidrs: [],
          destination_cidrs: [],
          ports: ["22"],
          log: true,
        },
      ];
    }),
    links: "eth0 up 192.168.130.2/24\nens7 up 10.1.0.1/24\nens8 up 10.2.0.1/24\nlo up 127.0.0.1/8",
    files: ["dhcp-hosts.d/static", "dnsmasq.conf", "hosts.d/records", "servers.conf"],
  },
  {
    name: "one LAN moved to ens8 without DHCP, null-mode blocking, no masquerade",
    spec: specWith((s) => {
      s.wan.masquerade = false;
      s.lans = [{ ...lan("lab", "ens8", 77), dhcp: undefined }];
      s.dns.blocked_domains = ["ads.example", "tracker.example"];
      s.dns.block_mode = "null";
    }),
    links: "eth0 up 192.168.130.2/24\nens7 down\nens8 up 10.77.0.1/24\nlo up 127.0.0.1/8",
    files: ["dhcp-hosts.d/static", "dnsmasq.conf", "hosts.d/records", "servers.conf"],
  },
];

/** A machine whose links are all up: there the dump is independent of history. */
function linksUp(): FakeOs {
  return new FakeOs(linksAllUp());
}

/** The dump each state leaves on a fresh machine. */
async function freshDump(spec: RouterSpec, os = new FakeOs()): Promise<string> {
  const { set } = setup(os);
  expectApplied(await set(spec));
  return os.dump();
}

describe("Reconciler state table", () => {
  for (const state of STATES) {
    it(`applies "${state.name}" on a fresh machine`, async () => {
      const { os, set } = setup();
      expectApplied(await set(state.spec));
      const dump = os.dump();
      // Link states differ from a fresh machine only where the agent acted.
      const links = dump.split("# links\n")[1]?.split("\n# files")[0];
      expect(links?.split("\n").sort().join("\n")).toBe(state.links.split("\n").sort().join("\n"));
      expect(await os.files.list(DIR)).toEqual([
        "dhcp-hosts.d",
        "dnsmasq.conf",
        "hosts.d",
        "servers.conf",
      ]);
      const paths = os.files.paths().filter((p) => p.startsWith(`${DIR}/`));
      expect(paths.map((p) => p.slice(DIR.length + 1))).toEqual(state.files);
      expect(await os.files.read("/proc/sys/net/ipv4/ip_forward")).toBe("1\n");
      expect(dump).toContain("table inet router_agent");
      expect(dump).toMatch(/# dnsmasq running$/);
      // Nothing is left in the scratch directory.
      expect(os.files.paths().filter((p) => p.startsWith("/run/"))).toEqual([]);
    });
  }

  it("gives the same dump whatever order the states come in", async () => {
    const expected = await Promise.all(STATES.map((s) => freshDump(s.spec, linksUp())));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: STATES.length - 1 }), { minLength: 2, maxLength: 8 }),
        async (order) => {
          const { os, set } = setup(linksUp());
          let last = -1;
          for (const i of order) {
            const r = await set((STATES[i] as (typeof STATES)[0]).spec);
            if (i === last) expect(r.kind).toBe("noop");
            else expectApplied(r);
            last = i;
            expect(os.dump()).toBe(expected[i]);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("Reconciler.set", () => {
  it("runs the steps in order with one nft transaction", async () => {
    const { os, set } = setup();
    const r = await set(seedSpec());
    expectApplied(r);
    expect(Object.keys(r.kind === "applied" ? r.timings : {})).toEqual([
      "bind",
      "render",
      "preflight",
      "sysctl",
      "links",
      "nft",
      "dnsmasq",
      "persist",
    ]);
    const lines = os.exec.dump().split("\n");
    expect(lines).toEqual([
      "$ ip -j -d addr show",
      "$ nft -j list tables",
      expect.stringMatching(/^\$ nft --check -j -f - <<stdin/),
      `$ dnsmasq --test --conf-file=/run/router-agent/preflight-${process.pid}/dnsmasq.conf`,
      "$ nft -j list tables",
      "$ ip link set dev ens7 up",
      "$ ip addr add 10.88.0.1/24 dev ens7",
      expect.stringMatching(/^\$ nft -j -f - <<stdin/),
      "$ nft -j list tables",
      "$ nft -j list table inet router_agent",
    ]);
    expect(os.dnsmasq.actions).toEqual(["restart"]);
  });

  it("re-applying the same hash runs nothing at all", async () => {
    const { os, set } = setup();
    expectApplied(await set(seedSpec()));
    os.exec.clear();
    const writes = os.files.writes.length;
    const actions = os.dnsmasq.actions.length;
    expect(await set(seedSpec())).toEqual({ kind: "noop" });
    expect(os.exec.calls).toEqual([]);
    expect(os.files.writes.length).toBe(writes);
    expect(os.dnsmasq.actions.length).toBe(actions);
  });

  it("a forced re-apply reloads nft but leaves dnsmasq alone", async () => {
    const { os, set } = setup();
    expectApplied(await set(seedSpec()));
    const before = os.dump();
    os.dnsmasq.actions.length = 0;
    expectApplied(await set(seedSpec(), { force: true }));
    expect(os.exec.callsOf("nft", ["-j", "-f", "-"])).toHaveLength(2);
    expect(os.dnsmasq.actions).toEqual(["ensure-running"]);
    expect(os.dump()).toBe(before);
  });

  const actionCases: {
    name: string;
    edit: (s: RouterSpec) => void;
    action: string;
    fake: string[];
  }[] = [
    {
      name: "upstreams",
      edit: (s) => {
        s.dns.upstreams = ["9.9.9.9"];
      },
      action: "sighup",
      fake: ["reload"],
    },
    {
      name: "a static lease",
      edit: (s) => {
        s.lans[0]?.dhcp?.static_leases.push({ mac: "aa:bb:cc:dd:ee:01", ip: "10.88.0.10" });
      },
      action: "sighup",
      fake: ["reload"],
    },
    {
      name: "a host record",
      edit: (s) => {
        s.dns.hosts = [{ name: "nas", ip: "10.88.0.5" }];
      },
      action: "inotify",
      fake: ["ensure-running"],
    },
    {
      name: "a DHCP range",
      edit: (s) => {
        (s.lans[0]?.dhcp?.ranges[0] as { end: string }).end = "10.88.0.100";
      },
      action: "restart",
      fake: ["restart"],
    },
    {
      name: "only the firewall",
      edit: (s) => {
        s.firewall.log.dropped = true;
      },
      action: "none",
      fake: ["ensure-running"],
    },
  ];
  for (const c of actionCases) {
    it(`changing ${c.name} takes the least disruptive dnsmasq action (${c.action})`, async () => {
      const { os, set } = setup();
      expectApplied(await set(seedSpec()));
      os.dnsmasq.actions.length = 0;
      const r = await set(specWith(c.edit));
      expect(r.kind === "applied" && r.plan.dnsmasqAction).toBe(c.action);
      expect(os.dnsmasq.actions).toEqual(c.fake);
    });
  }

  it("reports unbindable LANs as field errors and touches nothing", async () => {
    const { os, set } = setup();
    const before = os.dump();
    const r = await set(
      specWith((s) => {
        (s.lans[0] as { interface: unknown }).interface = { name: "ens9" };
      }),
    );
    expect(r.kind).toBe("invalid");
    expect(r.kind === "invalid" && r.errors).toEqual([
      { path: "lans[0].interface", message: "no link named ens9; links: lo, eth0, ens7, ens8" },
    ]);
    expect(os.dump()).toBe(before);
    expect(os.exec.dump()).toBe("$ ip -j -d addr show");
  });

  it("leaves other tables alone", async () => {
    const os = new FakeOs();
    os.addForeignTable("ip", "docker");
    os.addForeignTable("inet", "filter");
    const { set } = setup(os);
    expectApplied(await set(seedSpec()));
    expectApplied(await set(STATES[2]?.spec as RouterSpec));
    expect(os.tableNames()).toEqual(["inet filter", "inet router_agent", "ip docker"]);
    for (const call of os.exec.callsOf("nft", ["-j", "-f", "-"])) {
      expect(call.input).not.toMatch(/docker|"name":"filter"/);
    }
  });
});

describe("Reconciler failures roll back", () => {
  const failures: { name: string; inject: (os: FakeOs) => void; step: string; stderr?: RegExp }[] =
    [
      {
        name: "nft --check",
        inject: (os) => os.failNext.add("nft-check"),
        step: "preflight",
        stderr: /Could not process rule/,
      },
      {
        name: "dnsmasq --test",
        inject: (os) => os.failNext.add("dnsmasq-test"),
        step: "preflight",
        stderr: /bad option/,
      },
      {
        name: "an ip command",
        inject: (os) => os.failNext.add("ip"),
        step: "links",
        stderr: /Operation not permitted/,
      },
      {
        name: "the nft transaction",
        inject: (os) => os.failNext.add("nft-apply"),
        step: "nft",
        stderr: /Could not process rule/,
      },
      {
        name: "a dnsmasq file write",
        inject: (os) => os.files.failWrites.add(`${DIR}/dnsmasq.conf`),
        step: "dnsmasq",
      },
      {
        name: "the dnsmasq restart",
        inject: (os) => os.dnsmasq.failNext.add("restart"),
        step: "dnsmasq",
      },
    ];

  for (const f of failures) {
    it(`on a fresh machine when ${f.name} fails`, async () => {
      const { os, set } = setup();
      const before = os.dump();
      f.inject(os);
      const r = await set(seedSpec());
      expect(r).toMatchObject({ kind: "failed", step: f.step, rolledBack: true });
      if (f.stderr) expect(r.kind === "failed" && r.stderr).toMatch(f.stderr);
      // dnsmasq may have been started by the failed step; everything else is as before.
      expect(os.dump().replace("# dnsmasq running", "# dnsmasq stopped")).toBe(before);
    });

    it(`to the previous state when ${f.name} fails`, async () => {
      const { os, set } = setup();
      expectApplied(await set(seedSpec()));
      const before = os.dump();
      f.inject(os);
      const r = await set(STATES[2]?.spec as RouterSpec);
      expect(r).toMatchObject({ kind: "failed", step: f.step, rolledBack: true });
      expect(os.dump()).toBe(before);
      // And the next apply of the same state goes through.
      expectApplied(await set(STATES[2]?.spec as RouterSpec));
      expect(os.dump()).toBe(await freshDump(STATES[2]?.spec as RouterSpec));
    });
  }

  it("when persisting fails", async () => {
    const { os, set } = setup();
    expectApplied(await set(seedSpec()));
    const before = os.dump();
    const r = await set(STATES[1]?.spec as RouterSpec, {
      persist: async () => {
        throw new Error("write /var/lib/router-agent/last-good.json: ENOSPC");
      },
    });
    expect(r).toMatchObject({
      kind: "failed",
      step: "persist",
      rolledBack: true,
      message: /ENOSPC/,
    });
    expect(os.dump()).toBe(before);
  });

  it("a restart failure is undone with another restart on the old files", async () => {
    const { os, set } = setup();
    expectApplied(await set(seedSpec()));
    os.dnsmasq.actions.length = 0;
    os.dnsmasq.failNext.add("restart");
    await set(STATES[3]?.spec as RouterSpec);
    expect(os.dnsmasq.actions).toEqual(["restart", "restart"]);
  });

  it("says so when the rollback itself fails", async () => {
    const { os, set } = setup();
    expectApplied(await set(seedSpec()));
    // The new document loads, dnsmasq then fails, and re-loading the old document fails too.
    let loads = 0;
    os.exec.handle((call) =>
      call.cmd === "nft" && call.args.join(" ") === "-j -f -" && ++loads > 1
        ? { code: 1, stderr: "Error: out of memory" }
        : undefined,
    );
    os.dnsmasq.failNext.add("restart");
    const r = await set(STATES[3]?.spec as RouterSpec);
    expect(r).toMatchObject({ kind: "failed", step: "dnsmasq", rolledBack: false });
  });
});

describe("Reconciler.plan", () => {
  it("shows the diffs and link ops without touching anything", async () => {
    const { os, set, reconciler } = setup();
    expectApplied(await set(seedSpec()));
    const before = os.dump();
    const writes = os.files.writes.filter((w) => !w.path.startsWith("/run/")).length;
    const spec = specWith((s) => {
      s.dns.upstreams = ["9.9.9.9"];
      s.lans[0] = { ...(s.lans[0] as RouterSpec["lans"][0]), interface: { name: "ens8" } };
    });
    const r = await reconciler.plan(spec, specHash(spec));
    expect(r.kind).toBe("plan");
    if (r.kind !== "plan") return;
    expect(r.plan.noop).toBe(false);
    expect(r.plan.dnsmasqAction).toBe("restart");
    expect(r.plan.linkOps).toEqual([
      { op: "addr-del", ifname: "ens7", address: "10.88.0.1/24" },
      { op: "link-up", ifname: "ens8" },
      { op: "addr-add", ifname: "ens8", address: "10.88.0.1/24" },
    ]);
    expect(r.plan.dnsmasqDiff).toContain(`--- a${DIR}/servers.conf`);
    expect(r.plan.dnsmasqDiff).toContain("-server=1.1.1.1");
    expect(r.plan.dnsmasqDiff).toContain("+server=9.9.9.9");
    expect(r.plan.nftDiff).toMatch(/^--- applied\/nft.json\n\+\+\+ desired\/nft.json\n@@/);
    expect(r.plan.nftDiff).toMatch(/^-.*"ens7"/m);
    expect(r.plan.nftDiff).toMatch(/^\+.*"ens8"/m);
    expect(os.dump()).toBe(before);
    expect(os.files.writes.filter((w) => !w.path.startsWith("/run/")).length).toBe(writes);
    expect(os.exec.callsOf("nft", ["-j", "-f", "-"])).toHaveLength(1);
  });

  it("reports a pre-flight failure", async () => {
    const { os, reconciler } = setup();
    os.failNext.add("dnsmasq-test");
    const r = await reconciler.plan(seedSpec(), specHash(seedSpec()));
    expect(r).toMatchObject({ kind: "failed", step: "preflight", stderr: /bad option/ });
  });
});

describe("Reconciler.checkDrift", () => {
  it("finds nothing right after an apply", async () => {
    const { set, reconciler } = setup();
    expectApplied(await set(seedSpec()));
    expect(await reconciler.checkDrift()).toEqual({ nft: [], links: [], files: [] });
  });

  it("finds a foreign rule in our chain, a lost address and an edited file", async () => {
    const { os, set, reconciler } = setup();
    expectApplied(await set(seedSpec()));
    await os.exec.run("nft", ["-j", "-f", "-"], {
      input: JSON.stringify({
        nftables: [
          {
            add: {
              rule: {
                family: "inet",
                table: "router_agent",
                chain: "forward",
                expr: [{ accept: null }],
              },
            },
          },
        ],
      }),
    });
    await os.exec.run("ip", ["addr", "del", "10.88.0.1/24", "dev", "ens7"]);
    await os.files.write(`${DIR}/servers.conf`, "server=6.6.6.6\n");
    const drift = await reconciler.checkDrift();
    expect(drift.nft).toEqual([
      expect.stringMatching(/^rules inet router_agent forward: \d+ rules differ/),
    ]);
    expect(drift.links).toEqual([{ op: "addr-add", ifname: "ens7", address: "10.88.0.1/24" }]);
    expect(drift.files).toEqual([`${DIR}/servers.conf`]);
    // A forced re-apply repairs all of it.
    expectApplied(await set(seedSpec(), { force: true }));
    expect(await reconciler.checkDrift()).toEqual({ nft: [], links: [], files: [] });
  });

  it("finds the table deleted", async () => {
    const { os, set, reconciler } = setup();
    expectApplied(await set(seedSpec()));
    await os.exec.run("nft", ["-j", "-f", "-"], {
      input: JSON.stringify({
        nftables: [{ delete: { table: { family: "inet", name: "router_agent" } } }],
      }),
    });
    expect((await reconciler.checkDrift()).nft).toEqual(["table inet router_agent: missing"]);
  });
});

describe("Reconciler.clear", () => {
  it("removes the table, the addresses it owns and the files, and stops dnsmasq", async () => {
    const os = new FakeOs();
    os.addForeignTable("ip", "docker");
    const { set, reconciler } = setup(os);
    expectApplied(await set(seedSpec()));
    await reconciler.clear();
    expect(os.tableNames()).toEqual(["ip docker"]);
    expect(os.links.get("ens7")?.addresses).toEqual([]);
    expect(os.files.paths().filter((p) => p.startsWith(DIR))).toEqual([]);
    expect(os.dnsmasq.state().running).toBe(false);
    expect(reconciler.applied()).toBeUndefined();
  });
});

describe("Reconciler after a restart", () => {
  it("deletes the addresses a previous process owned when told what it ran", async () => {
    const two = STATES[2]?.spec as RouterSpec;
    const first = setup(new FakeOs(linksAllUp()));
    expectApplied(await first.set(two));
    // A new process on the same machine: nothing applied in memory.
    const second = setup(first.os);
    expectApplied(
      await second.reconciler.set(seedSpec(), { hash: specHash(seedSpec()), previous: two }),
    );
    expect(first.os.dump()).toBe(await freshDump(seedSpec(), new FakeOs(linksAllUp())));
  });

  it("without that, leaves addresses it cannot know it owned", async () => {
    const two = STATES[2]?.spec as RouterSpec;
    const first = setup(new FakeOs(linksAllUp()));
    expectApplied(await first.set(two));
    const second = setup(first.os);
    expectApplied(await second.set(seedSpec()));
    expect(first.os.links.get("ens8")?.addresses).toEqual(["10.2.0.1/24"]);
  });
});
