import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { routerProto } from "../../../agent/src/api/proto-loader.js";
import { specFromWire, specToWire } from "../../../agent/src/api/spec-codec.js";
import { parseRouterYaml } from "../../../agent/src/model/parse-yaml.js";
import { validateSpec } from "../../../agent/src/model/validate.js";

/** Through real protobuf bytes, decoded with the server's loader options. */
function overTheWire(spec: unknown): unknown {
  const method = routerProto().grpcObject.router.v1.RouterAgent.service.Reconcile;
  const bytes = method.requestSerialize({
    desired_state: { nonce: "n", generation: 1, spec: spec as never },
  });
  return (method.requestDeserialize(bytes) as { desired_state: { spec: unknown } }).desired_state
    .spec;
}

describe("spec codec", () => {
  for (const file of ["examples/router.yaml", "examples/multi-lan.yaml"]) {
    it(`carries ${file} over the wire unchanged (validated, encoded, decoded, validated again)`, () => {
      const parsed = parseRouterYaml(readFileSync(file, "utf8"));
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const wire = specToWire(parsed.value);
      if (!wire.ok) throw new Error(JSON.stringify(wire.errors));
      const plain = specFromWire(overTheWire(wire.value));
      expect(validateSpec(plain)).toEqual({ ok: true, value: parsed.value });
    });
  }

  it("drops unset fields so the validator fills defaults, and keeps set optionals", () => {
    const plain = specFromWire(
      overTheWire({
        wan: { interface: "eth0", masquerade: false },
        lans: [{ name: "lan", interface: { auto: true }, address: "10.88.0.1/24", dhcp: {} }],
        firewall: { log: { rate_per_minute: 0, prefix: "" } },
      }),
    );
    expect(plain).toEqual({
      wan: { interface: "eth0", masquerade: false },
      lans: [{ name: "lan", interface: { auto: true }, address: "10.88.0.1/24", dhcp: {} }],
      firewall: { log: { rate_per_minute: 0, prefix: "" } },
    });
  });

  it("gives the validator an empty spec for a missing one", () => {
    expect(specFromWire(overTheWire(undefined))).toEqual({});
    expect(specFromWire(null)).toEqual({});
  });

  it("refuses what protobuf would silently drop, with paths", () => {
    const result = specToWire({
      wan: { interface: "eth0", masqurade: true },
      lans: [
        { name: "lan", interface: { name: "ens7", mac: "02:00:00:00:00:01" }, address: 10 },
        { name: "b", interface: "ens8", dhcp: { ranges: { start: "a" } } },
      ],
      firewall: { port_forwards: [{ id: "x", wan_port: -1 }], log: { dropped: "yes" } },
      extra: 1,
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([
      { path: "wan.masqurade", message: "unknown field" },
      { path: "lans[0].interface", message: "set only one of name, mac" },
      { path: "lans[0].address", message: "expected a string" },
      { path: "lans[1].interface", message: "expected a mapping" },
      { path: "lans[1].dhcp.ranges", message: "expected a list" },
      { path: "firewall.port_forwards[0].wan_port", message: "-1 is outside 0..4294967295" },
      { path: "firewall.log.dropped", message: "expected true or false" },
      { path: "extra", message: "unknown field" },
    ]);
    expect(specToWire("wan: eth0")).toEqual({
      ok: false,
      errors: [{ path: "(root)", message: "expected a mapping" }],
    });
  });
});
