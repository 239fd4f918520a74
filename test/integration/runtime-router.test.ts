/**
 * The Router and its reconciler against the real kernel: real nft, real ip,
 * real dnsmasq (under the supervisor), inside a throwaway network namespace.
 * Node cannot enter a namespace, so every command runs behind
 * `ip netns exec <ns>` (`RealExec` with a prefix) and sysctls go through
 * `sysctl -w` in the namespace.
 *
 * Root only. Every namespace carries a random prefix and is removed in
 * afterEach, whatever happened, together with dnsmasq and the temp dir.
 */
import { rmSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BoundSpec, RouterSpec } from "../../agent/src/model/types.js";
import { renderDnsmasq } from "../../agent/src/render/dnsmasq.js";
import { renderNft } from "../../agent/src/render/nft.js";
import type { DnsmasqControl } from "../../agent/src/runtime/dnsmasq-control.js";
import type { DnsmasqSupervisor } from "../../agent/src/runtime/dnsmasq-supervisor.js";
import type { Exec, ExecOptions, ExecResult } from "../../agent/src/runtime/exec.js";
import { type NftDocument, normalizeListing } from "../../agent/src/runtime/nft-runner.js";
import { Router, type RouterOptions } from "../../agent/src/runtime/router.js";
import type { ApplyOutcome, ApplyRequest } from "../../agent/src/runtime/router-runtime.js";
import { unifiedDiff } from "../../agent/src/runtime/unified-diff.js";
import { cleanupStale, nsRun, randomPrefix } from "../support/netns.js";
import { makeRouterNetns } from "../support/router-netns.js";
import { lan, specWith } from "../support/runtime-specs.js";

const ROOT = process.getuid?.() === 0;

/** Seed-like states with no upstreams: nothing may leave the namespace. */
const A = specWith((s) => {
  s.dns.upstreams = [];
  s.wan.management.cidrs = ["203.0.113.0/24"];
});
const B = specWith((s) => {
  s.dns.upstreams = [];
  s.dns.hosts = [{ name: "nas", ip: "10.88.0.5" }];
  s.firewall.log.dropped = true;
});
const C = specWith((s) => {
  s.dns.upstreams = [];
  s.lans = [{ ...lan("lan1", "ens7", 1), allow_lans: ["lan2"] }, lan("lan2", "ens8", 2)];
});

/** An Exec that records what runs and can fail one matching call. */
class TapExec implements Exec {
  readonly calls: string[] = [];
  failOnce: ((cmd: string, args: string[]) => boolean) | undefined;

  constructor(private readonly inner: Exec) {}

  async run(cmd: string, args: string[], opts?: ExecOptions): Promise<ExecResult> {
    this.calls.push([cmd, ...args].join(" "));
    if (this.failOnce?.(cmd, args)) {
      this.failOnce = undefined;
      return { code: 1, stdout: "", stderr: "Error: injected failure\n" };
    }
    return this.inner.run(cmd, args, opts);
  }
}

/** A DnsmasqControl whose next restart fails after dnsmasq was asked to restart. */
class FlakyDnsmasq implements DnsmasqControl {
  failRestart = false;
  constructor(private readonly inner: DnsmasqSupervisor) {}
  ensureRunning() {
    return this.inner.ensureRunning();
  }
  reload() {
    return this.inner.reload();
  }
  async restart() {
    if (this.failRestart) {
      this.failRestart = false;
      throw new Error("dnsmasq restart: injected failure");
    }
    return this.inner.restart();
  }
  stop() {
    return this.inner.stop();
  }
  state() {
    return this.inner.state();
  }
  onState(l: Parameters<DnsmasqSupervisor["onState"]>[0]) {
    return this.inner.onState(l);
  }
}

interface Rig {
  prefix: string;
  ns: string;
  dir: string;
  tap: TapExec;
  supervisor: DnsmasqSupervisor;
  dnsmasq: FlakyDnsmasq;
  routers: Router[];
  newRouter(extra?: Partial<RouterOptions>): Router;
  /** Simulates the agent process dying: router and dnsmasq go, the kernel state stays. */
  crash(): Promise<void>;
}

let rig: Rig | undefined;

async function makeRig(): Promise<Rig> {
  const prefix = randomPrefix();
  const { ns, dir, exec, newSupervisor, routerOptions } = await makeRouterNetns(
    prefix,
    `${prefix}-r`,
    ["ens7", "ens8"],
  );
  const tap = new TapExec(exec);
  const r: Rig = {
    prefix,
    ns,
    dir,
    tap,
    supervisor: newSupervisor(),
    dnsmasq: undefined as unknown as FlakyDnsmasq,
    routers: [],
    newRouter(extra = {}) {
      const router = new Router({ ...routerOptions({ exec: tap, dnsmasq: r.dnsmasq }), ...extra });
      r.routers.push(router);
      return router;
    },
    async crash() {
      for (const router of r.routers) await router.stop();
      await r.supervisor.stop();
      r.supervisor = newSupervisor();
      r.dnsmasq = new FlakyDnsmasq(r.supervisor);
    },
  };
  r.dnsmasq = new FlakyDnsmasq(r.supervisor);
  return r;
}

function req(spec: RouterSpec, extra: Partial<ApplyRequest> = {}): ApplyRequest {
  return { spec, generation: 1, dryRun: false, reason: "integration", actor: "test", ...extra };
}

function applied(o: ApplyOutcome) {
  if (o.kind !== "applied") throw new Error(`expected applied, got ${JSON.stringify(o)}`);
  return o;
}

async function sh(args: string[]): Promise<string> {
  return (await nsRun((rig as Rig).ns, args[0] as string, args.slice(1))).stdout;
}

/** The whole ruleset, normalized: no handles, objects in a fixed order, rules in theirs. */
async function ruleset(): Promise<string> {
  return normalizeListing(JSON.parse(await sh(["nft", "-j", "list", "ruleset"])) as NftDocument);
}

/** Everything observable: the ruleset, LAN addresses, forwarding. */
async function machine(): Promise<string> {
  const rules = await ruleset();
  const addrs = await sh(["ip", "-br", "-4", "addr", "show"]);
  const fwd = await sh(["sysctl", "-n", "net.ipv4.ip_forward"]);
  return `${rules}\n${addrs}\nip_forward=${fwd}`;
}

/** Equality with a readable diff on failure. */
function expectSame(actual: string, expected: string): void {
  if (actual !== expected) {
    throw new Error(
      `machine state differs:\n${unifiedDiff(expected, actual, { from: "expected", to: "actual" })}`,
    );
  }
}

async function waitFor(what: string, pred: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!ROOT)("Router on the real kernel (netns)", () => {
  beforeEach(async () => {
    rig = await makeRig();
  });

  afterEach(async () => {
    const r = rig;
    rig = undefined;
    if (!r) return;
    try {
      for (const router of r.routers) await router.stop();
      await r.supervisor.stop();
    } finally {
      await cleanupStale(r.prefix);
      rmSync(r.dir, { recursive: true, force: true });
    }
  });

  it("applies, then re-applies the same state as a no-op", async () => {
    const r = rig as Rig;
    const router = r.newRouter();
    await router.start();
    const first = applied(await router.apply(req(A)));
    expect(first.plan.dnsmasqAction).toBe("restart");
    expect(await sh(["nft", "list", "tables"])).toContain("table inet router_agent");
    expect(await sh(["ip", "-br", "-4", "addr", "show", "ens7"])).toContain("10.88.0.1/24");
    expect((await sh(["sysctl", "-n", "net.ipv4.ip_forward"])).trim()).toBe("1");
    const pid = r.supervisor.state().pid;
    expect(r.supervisor.state().running).toBe(true);

    r.tap.calls.length = 0;
    const again = applied(await router.apply(req(A, { generation: 2 })));
    expect(again.plan.noop).toBe(true);
    expect(r.tap.calls).toEqual([]);
    expect(r.supervisor.state().pid).toBe(pid);
    expect(router.history()).toHaveLength(1);
  });

  it("a failed nft pre-flight leaves the live ruleset byte-identical", async () => {
    const r = rig as Rig;
    // A renderer that emits a rule referencing a set that does not exist: the real nft rejects it.
    const broken = (spec: BoundSpec) => {
      const doc = renderNft(spec);
      if (spec.firewall.log.dropped) {
        doc.nftables.push({
          add: {
            rule: {
              family: "inet",
              table: "router_agent",
              chain: "forward",
              expr: [
                {
                  match: {
                    op: "==",
                    left: { payload: { protocol: "ip", field: "daddr" } },
                    right: "@no_such_set",
                  },
                },
                { drop: null },
              ],
            },
          },
        });
      }
      return doc;
    };
    const router = r.newRouter({ render: { nft: broken } });
    await router.start();
    applied(await router.apply(req(A)));
    const before = await sh(["nft", "-j", "list", "ruleset"]);
    const addrs = await sh(["ip", "-j", "addr"]);
    const pid = r.supervisor.state().pid;
    const o = await router.apply(req(B, { generation: 2 }));
    expect(o).toMatchObject({ kind: "failed", step: "preflight", rolledBack: true });
    expect(o.kind === "failed" && o.stderr).toMatch(/no_such_set|No such file or directory/);
    expectSame(await sh(["nft", "-j", "list", "ruleset"]), before);
    expect(await sh(["ip", "-j", "addr"])).toBe(addrs);
    expect(r.supervisor.state().pid).toBe(pid);
  });

  it("a failed dnsmasq pre-flight changes nothing either", async () => {
    const r = rig as Rig;
    const router = r.newRouter({
      render: {
        dnsmasq: (spec, layout) =>
          renderDnsmasq(spec, layout).map((f) =>
            spec.firewall.log.dropped && f.path.endsWith("/dnsmasq.conf")
              ? { ...f, content: `${f.content}no-such-option=1\n` }
              : f,
          ),
      },
    });
    await router.start();
    applied(await router.apply(req(A)));
    const before = await sh(["nft", "-j", "list", "ruleset"]);
    const o = await router.apply(req(B, { generation: 2 }));
    expect(o).toMatchObject({ kind: "failed", step: "preflight", rolledBack: true });
    expect(o.kind === "failed" && o.stderr).toMatch(/no-such-option|bad option|unrecognized/i);
    expectSame(await sh(["nft", "-j", "list", "ruleset"]), before);
  });

  it("an nft failure mid-apply rolls the links back", async () => {
    const r = rig as Rig;
    const router = r.newRouter();
    await router.start();
    applied(await router.apply(req(A)));
    const before = await machine();
    const raw = await sh(["nft", "-j", "list", "ruleset"]);
    r.tap.failOnce = (cmd, args) => cmd === "nft" && args.join(" ") === "-j -f -";
    const o = await router.apply(req(C, { generation: 2 }));
    expect(o).toMatchObject({ kind: "failed", step: "nft", rolledBack: true, stderr: /injected/ });
    // The links step ran (ens8 got its address) and was undone.
    expect(r.tap.calls).toContain("ip addr add 10.2.0.1/24 dev ens8");
    expectSame(await machine(), before);
    // nft refused the transaction, so nothing was re-applied: byte-identical.
    expectSame(await sh(["nft", "-j", "list", "ruleset"]), raw);
    expect(router.status().appliedRevision).toBe(1);
  });

  it("a dnsmasq failure after the nft commit restores the previous ruleset", async () => {
    const r = rig as Rig;
    const router = r.newRouter();
    await router.start();
    applied(await router.apply(req(A)));
    const before = await machine();
    r.dnsmasq.failRestart = true;
    const o = await router.apply(req(C, { generation: 2 }));
    expect(o).toMatchObject({ kind: "failed", step: "dnsmasq", rolledBack: true });
    expectSame(await machine(), before);
    expect(r.supervisor.state().running).toBe(true);
    // And the same push goes through once dnsmasq behaves.
    applied(await router.apply(req(C, { generation: 3 })));
  });

  it("other tables survive apply, restart and stop", async () => {
    const r = rig as Rig;
    await nsRun(r.ns, "nft", ["-f", "-"], {
      input: [
        "table inet operator {",
        "  chain input { type filter hook input priority 10; policy accept; tcp dport 2222 counter accept; }",
        "}",
        "table ip docker {",
        '  chain postrouting { type nat hook postrouting priority 100; oifname "eth0" masquerade; }',
        "}",
      ].join("\n"),
    });
    const theirs = async () =>
      `${await sh(["nft", "list", "table", "inet", "operator"])}${await sh(["nft", "list", "table", "ip", "docker"])}`;
    const before = await theirs();
    const first = r.newRouter();
    await first.start();
    applied(await first.apply(req(A)));
    applied(await first.apply(req(C, { generation: 2 })));
    expectSame(await theirs(), before);
    await r.crash();
    const second = r.newRouter();
    expect((await second.start())?.kind).toBe("applied");
    expectSame(await theirs(), before);
    await second.stop();
    await r.supervisor.stop();
    expectSame(await theirs(), before);
    // Stopping leaves the agent's own table in place too.
    expect(await sh(["nft", "list", "tables"])).toContain("table inet router_agent");
  });

  it("rolls back when the confirm window passes", async () => {
    const r = rig as Rig;
    const router = r.newRouter();
    await router.start();
    applied(await router.apply(req(A)));
    const before = await machine();
    const o = applied(await router.apply(req(C, { generation: 2, confirmWithinMs: 1_500 })));
    expect(o.pendingCommit?.rollbackTo).toBe(1);
    expect(await sh(["ip", "-br", "-4", "addr", "show", "ens8"])).toContain("10.2.0.1/24");
    await waitFor("the rollback", () => router.status().pendingCommit === undefined);
    await waitFor("the rolled-back revision", () => router.status().appliedRevision === 3);
    expectSame(await machine(), before);
    expect(router.history()[0]).toMatchObject({ revision: 3, actor: "commit-confirm" });
  });

  it("a restart inside the confirm window rolls back", async () => {
    const r = rig as Rig;
    const first = r.newRouter();
    await first.start();
    applied(await first.apply(req(A)));
    const before = await machine();
    applied(await first.apply(req(C, { generation: 2, confirmWithinMs: 60_000 })));
    expect(await machine()).not.toBe(before);
    await r.crash();

    const second = r.newRouter();
    const o = await second.start();
    expect(o?.kind).toBe("applied");
    expectSame(await machine(), before);
    expect(second.status().pendingCommit).toBeUndefined();
    expect(second.history()[0]).toMatchObject({ revision: 3, actor: "agent-start" });
    expect(r.supervisor.state().running).toBe(true);
  });

  it("leaves the same ruleset whatever order the states come in", async () => {
    const r = rig as Rig;
    const router = r.newRouter();
    await router.start();
    const seen = new Map<RouterSpec, string>();
    for (const spec of [A, C, B, A, C, B, C, A]) {
      applied(await router.apply(req(spec)));
      const now = await ruleset();
      const known = seen.get(spec);
      if (known === undefined) seen.set(spec, now);
      else expectSame(now, known);
    }
    expect(seen.size).toBe(3);
  });
});
