import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_ERRORS } from "../../../agent/src/model/fields.js";
import { parseRouterYaml } from "../../../agent/src/model/parse-yaml.js";
import type { RouterSpec } from "../../../agent/src/model/types.js";
import { validateSpec } from "../../../agent/src/model/validate.js";
import { specWith } from "../../support/runtime-specs.js";
import { baseSpec, edited } from "./spec-fixtures.js";

const example = (name: string) =>
  readFileSync(new URL(`../../../examples/${name}`, import.meta.url), "utf8");

function valid(result: ReturnType<typeof validateSpec>): RouterSpec {
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join("\n"));
  return result.value;
}

describe("validateSpec accepts", () => {
  it("the seed example and fills every default", () => {
    // The hand-built seed of the runtime tests is the example with every default filled.
    expect(valid(parseRouterYaml(example("router.yaml")))).toEqual(
      specWith((s) => {
        s.wan.management.cidrs = ["192.168.130.1/32"];
      }),
    );
  });

  it("the multi-LAN example", () => {
    const spec = valid(parseRouterYaml(example("multi-lan.yaml")));
    expect(spec.lans.map((l) => l.name)).toEqual(["lan", "iot", "servers"]);
    expect(spec.lans[1]?.interface).toEqual({ mac: "02:00:00:00:20:01" });
    expect(spec.lans[2]?.dhcp?.router).toBe("10.30.0.1");
    expect(spec.lans[2]?.dhcp?.lease_time).toBe("12h");
    expect(spec.firewall.port_forwards[0]).toEqual({
      id: "web-http",
      protocol: "tcp",
      wan_port: 80,
      to: "10.30.0.10",
      to_port: 80,
      source_cidrs: [],
      hairpin: false,
    });
    expect(spec.firewall.rules[0]).toMatchObject({
      from: "lan",
      to: "any",
      ports: ["22"],
      log: false,
    });
    expect(spec.dns.upstreams).toEqual(["1.1.1.1", "2606:4700:4700::1111"]);
  });

  it("a minimal spec: only wan.interface and one LAN", () => {
    const spec = valid(
      validateSpec({
        wan: { interface: "eth0" },
        lans: [{ name: "lan", interface: "auto", address: "10.0.0.1/24" }],
      }),
    );
    expect(spec.wan).toEqual({
      interface: "eth0",
      masquerade: true,
      management: { cidrs: [], ports: [7443] },
    });
    expect(spec.lans[0]).toEqual({
      name: "lan",
      interface: { auto: true },
      address: "10.0.0.1/24",
      allow_lans: [],
      blocked_destinations: [],
    });
    expect(spec.dns).toEqual({
      upstreams: [],
      hosts: [],
      blocked_domains: [],
      block_mode: "nxdomain",
    });
  });

  it("convenience forms and normalises them", () => {
    const spec = valid(
      validateSpec(
        edited((s) => {
          s.lans[1].interface = { mac: "02:AB:00:00:00:02" };
          s.lans[0].dhcp.static_leases[0].mac = "60:BE:B4:1E:19:63";
          s.lans[0].dhcp.lease_time = 3600;
          s.lans[0].dhcp.options = [{ option: 26, values: [1400] }];
          s.lans[0].blocked_destinations = ["192.168.1.7", "2001:DB8:0:0::/64"];
          s.firewall.rules[0].ports = [22, "8000-8080"];
          s.dns = null;
        }),
      ),
    );
    expect(spec.lans[1]?.interface).toEqual({ mac: "02:ab:00:00:00:02" });
    expect(spec.lans[0]?.dhcp?.static_leases[0]?.mac).toBe("60:be:b4:1e:19:63");
    expect(spec.lans[0]?.dhcp?.lease_time).toBe("3600");
    expect(spec.lans[0]?.dhcp?.options).toEqual([{ option: "26", values: ["1400"] }]);
    expect(spec.lans[0]?.blocked_destinations).toEqual(["192.168.1.7/32", "2001:db8::/64"]);
    expect(spec.firewall.rules[0]?.ports).toEqual(["22", "8000-8080"]);
    expect(spec.dns.block_mode).toBe("nxdomain");
  });

  it("its own output unchanged (validation is idempotent)", () => {
    for (const spec of [
      valid(validateSpec(baseSpec())),
      valid(parseRouterYaml(example("multi-lan.yaml"))),
    ]) {
      expect(valid(validateSpec(structuredClone(spec)))).toEqual(spec);
    }
  });
});

describe("validateSpec reports", () => {
  it("a non-mapping root", () => {
    expect(validateSpec("wan: eth0")).toEqual({
      ok: false,
      errors: [{ path: "(root)", message: "expected a mapping" }],
    });
    expect(validateSpec(null)).toEqual({
      ok: false,
      errors: [{ path: "(root)", message: "expected a mapping" }],
    });
  });

  it("every error, not only the first, in document order", () => {
    const result = validateSpec(
      edited((s) => {
        s.wan.interface = "eth 0";
        s.lans[0].dhcp.ranges[0].end = "10.88.1.5";
        s.lans[0].dhcp.static_leases[0].hostname = "pi\n";
        s.dns.upstreams = ["dns.google"];
        s.firewall.rules[0].chain = "output";
      }),
    );
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual([
      "wan.interface",
      "lans[0].dhcp.ranges[0].end",
      "lans[0].dhcp.static_leases[0].hostname",
      "dns.upstreams[0]",
      "firewall.rules[0].chain",
    ]);
  });

  it("unknown fields at every level, with a suggestion when one is close", () => {
    const result = validateSpec(
      edited((s) => {
        s.firewal = {};
        s.lans[0].adress = s.lans[0].address;
        delete s.lans[0].address;
        s.lans[0].dhcp.ranges[0].stop = "10.88.0.9";
        s.wan.management.port = [22];
        s["bad\nkey"] = 1;
      }),
    );
    expect(result.ok ? [] : result.errors).toEqual([
      { path: "firewal", message: 'unknown field; did you mean "firewall"?' },
      { path: '["bad\\nkey"]', message: "unknown field" },
      { path: "wan.management.port", message: 'unknown field; did you mean "ports"?' },
      { path: "lans[0].adress", message: 'unknown field; did you mean "address"?' },
      { path: "lans[0].address", message: "required" },
      { path: "lans[0].dhcp.ranges[0].stop", message: "unknown field" },
    ]);
  });

  it(`at most ${MAX_ERRORS} errors, then a count of the rest`, () => {
    const result = validateSpec(
      edited((s) => {
        s.lans[0].blocked_destinations = Array.from(
          { length: MAX_ERRORS + 200 },
          () => "10.0.0.1/8",
        );
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(MAX_ERRORS + 1);
    expect(result.errors[MAX_ERRORS]).toEqual({
      path: "(root)",
      message: "200 more errors not shown",
    });
  });

  it("the spec-wide CIDR limit once, at the list that crosses it", () => {
    const many = (n: number, third: number) =>
      Array.from({ length: n }, (_, i) => `10.${third}.${i >> 8}.${i & 255}/32`);
    const result = validateSpec(
      edited((s) => {
        s.lans[0].blocked_destinations = many(60_000, 1);
        s.firewall.rules[0].source_cidrs = many(40_001, 2);
      }),
    );
    expect(result.ok ? [] : result.errors).toEqual([
      {
        path: "firewall.rules[0].source_cidrs",
        message: "more than 100000 CIDRs in the whole spec",
      },
    ]);
  });
});
