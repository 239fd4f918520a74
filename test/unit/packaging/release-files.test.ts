/**
 * The files a release carries agree with each other: the default agent.yaml
 * is valid and reads the files userdata writes, and the unit starts the
 * bundle install.sh puts in place with that config.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseRouterYaml } from "../../../agent/src/model/parse-yaml.js";
import { parseAgentConfig } from "../../../agent/src/runtime/agent-config.js";
import { GUEST_PATHS } from "../../../host-client/src/userdata/render-userdata.js";
import { REPO } from "./fake-release.js";

const unit = readFileSync(join(REPO, "packaging/systemd/router-agent.service"), "utf8");

/** The values of `key=` in the unit, in order. */
function directive(key: string): string[] {
  return [...unit.matchAll(new RegExp(`^${key}=(.*)$`, "gm"))].map((m) => m[1] as string);
}

describe("packaging/agent.yaml", () => {
  it("is a valid agent config that reads the TLS files and initial state userdata writes", () => {
    const parsed = parseAgentConfig(readFileSync(join(REPO, "packaging/agent.yaml"), "utf8"));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const cfg = parsed.value;
    expect(cfg.initialState).toBe(GUEST_PATHS.routerYaml);
    expect(cfg.listen.tcp).toEqual([
      {
        address: "0.0.0.0",
        port: 7443,
        auth: "mtls",
        insecure: false,
        tls: { ca: GUEST_PATHS.ca, cert: GUEST_PATHS.serverCert, key: GUEST_PATHS.serverKey },
      },
    ]);
    // The directories systemd creates for the unit.
    expect(cfg.stateDir).toBe(`/var/lib/${directive("StateDirectory")[0]}`);
    expect(cfg.runtimeDir).toBe(`/run/${directive("RuntimeDirectory")[0]}`);
  });
});

describe("packaging/systemd/router-agent.service", () => {
  it("starts the active release's bundle with the installed config", () => {
    expect(directive("ExecStart")).toEqual([
      `${GUEST_PATHS.prefix}/current/bin/node --max-semi-space-size=1 ${GUEST_PATHS.prefix}/current/lib/router-agent.js --config ${GUEST_PATHS.agentYaml}`,
    ]);
  });

  it("is a notify service with a watchdog that accepts notifications from systemd-notify", () => {
    expect(directive("Type")).toEqual(["notify"]);
    expect(directive("NotifyAccess")).toEqual(["all"]);
    expect(Number(directive("WatchdogSec")[0])).toBeGreaterThan(0);
    expect(directive("Restart")).toEqual(["on-failure"]);
    expect(directive("KillMode")).toEqual(["mixed"]);
  });

  it("is hardened, with only the capabilities the agent and dnsmasq need", () => {
    expect(directive("CapabilityBoundingSet")[0]?.split(" ").sort()).toEqual(
      [
        "CAP_KILL",
        "CAP_NET_ADMIN",
        "CAP_NET_BIND_SERVICE",
        "CAP_NET_RAW",
        "CAP_SETGID",
        "CAP_SETUID",
      ].sort(),
    );
    for (const [key, value] of [
      ["NoNewPrivileges", "yes"],
      ["ProtectSystem", "strict"],
      ["ProtectHome", "yes"],
      ["PrivateTmp", "yes"],
      ["ReadWritePaths", "/proc/sys/net"],
    ] as const) {
      expect(directive(key), key).toEqual([value]);
    }
    expect(directive("SystemCallFilter")).toEqual(["@system-service", "~@resources"]);
  });
});

describe("packaging/examples", () => {
  it("router.yaml is a valid desired state on the NIC and bridge slicer-router.yaml sets up", () => {
    const spec = parseRouterYaml(
      readFileSync(join(REPO, "packaging/examples/router.yaml"), "utf8"),
    );
    if (!spec.ok) throw new Error(JSON.stringify(spec.errors));
    const slicer = parse(
      readFileSync(join(REPO, "packaging/examples/slicer-router.yaml"), "utf8"),
    ) as {
      config: {
        pci: Record<string, string[]>;
        host_groups: Array<{ name: string; userdata_file: string; network: { gateway: string } }>;
      };
    };
    const group = slicer.config.host_groups[0];
    expect(group?.userdata_file).toBe("./userdata.sh");
    expect(Object.keys(slicer.config.pci)).toEqual([`${group?.name}-1`]);
    // Only the Slicer host (the bridge's gateway) may reach the agent's API.
    const gateway = group?.network.gateway.split("/")[0];
    expect(spec.value.wan.management.cidrs).toEqual([`${gateway}/32`]);
    expect(spec.value.wan.interface).toBe("eth0");
    expect(spec.value.lans.map((l) => l.interface)).toEqual([{ name: "ens7" }]);
  });
});
