import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../../../agent/src/runtime/fake-clock.js";
import { Router } from "../../../agent/src/runtime/router.js";
import { FakeOs, linksAllUp } from "../../support/fake-os.js";
import { seedSpec } from "../../support/runtime-specs.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Lets the current job end (WeakRef targets live until then), then collects twice. */
async function collect(): Promise<void> {
  await new Promise((r) => setTimeout(r, 0));
  gc();
  await new Promise((r) => setTimeout(r, 0));
  gc();
}

describe("Router memory", () => {
  it("keeps no apply outcome once the caller drops it (its plan can be tens of MiB)", async () => {
    const os = new FakeOs(linksAllUp());
    const router = new Router({
      stateDir: "/var/lib/router-agent",
      runtimeDir: "/run/router-agent",
      leaseScript: "/usr/lib/router-agent/lease-hook",
      exec: os.exec,
      files: os.files,
      dnsmasq: os.dnsmasq,
      logger: pino({ level: "silent" }),
      clock: new FakeClock(),
    });
    await router.start();
    const plan = await (async () => {
      const o = await router.apply({
        spec: seedSpec(),
        generation: 1,
        dryRun: false,
        reason: "test",
        actor: "tester",
      });
      if (o.kind !== "applied") throw new Error(`expected applied, got ${o.kind}`);
      expect(o.plan.nftDiff).not.toBe("");
      return new WeakRef(o.plan);
    })();
    await collect();
    expect(plan.deref()).toBeUndefined();
    expect(router.status().appliedRevision).toBe(1);
    await router.stop();
  });
});
