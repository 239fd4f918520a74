/**
 * validateSpec is the gate for hostile input: it must never throw, every
 * error must carry a path, and what it accepts must read back unchanged.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRouterYaml } from "../../../agent/src/model/parse-yaml.js";
import { validateSpec } from "../../../agent/src/model/validate.js";
import { baseSpec, type Raw } from "./spec-fixtures.js";

function wellFormed(result: ReturnType<typeof validateSpec>): void {
  if (result.ok) {
    expect(validateSpec(structuredClone(result.value))).toEqual(result);
    return;
  }
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    expect(e.path).toMatch(/^[\x20-\x7e]+$/);
    const control = [...e.message].filter((ch) => ch.charCodeAt(0) < 0x20 || ch === "\u007f");
    expect(control).toEqual([]);
  }
}

/** Every path to a leaf or container inside the base spec. */
function paths(value: Raw, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths(value[k], [...prefix, k]))];
}

describe("validateSpec on hostile input", () => {
  it("never throws on arbitrary values", () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        wellFormed(validateSpec(input));
      }),
      { numRuns: 500 },
    );
  });

  it("never throws when any part of a valid spec is replaced by anything", () => {
    const targets = paths(baseSpec()).filter((p) => p.length > 0);
    fc.assert(
      fc.property(
        fc.constantFrom(...targets),
        fc.oneof(
          fc.jsonValue(),
          fc.string(),
          fc.constantFrom("\n", "a,b", "#", "\0", "10.0.0.1/8", -1, 1e9),
        ),
        (path, replacement) => {
          const spec = baseSpec();
          let parent = spec;
          for (const key of path.slice(0, -1)) parent = parent[key];
          parent[path[path.length - 1] as string] = replacement;
          wellFormed(validateSpec(spec));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("treats __proto__ and other odd keys from YAML as unknown fields", () => {
    const result = parseRouterYaml(
      "wan: {interface: eth0, __proto__: {masquerade: false}}\nlans: [{name: a, interface: auto, address: 10.0.0.1/24, constructor: 1}]\n",
    );
    expect(result.ok).toBe(false);
    if (!result.ok) wellFormed(result);
  });

  it("handles the largest allowed lists", () => {
    const spec = baseSpec();
    spec.lans[0].blocked_destinations = Array.from(
      { length: 99_000 },
      (_, i) => `${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24`,
    );
    spec.dns.blocked_domains = Array.from({ length: 100_000 }, (_, i) => `ads${i}.example.com`);
    spec.lans[0].dhcp.ranges = [{ start: "10.88.0.50", end: "10.88.0.60" }];
    spec.lans[0].address = "10.88.0.1/16";
    spec.lans[0].dhcp.static_leases = Array.from({ length: 10_000 }, (_, i) => ({
      mac: `02:00:00:00:${((i >> 8) & 255).toString(16).padStart(2, "0")}:${(i & 255).toString(16).padStart(2, "0")}`,
      ip: `10.88.${100 + (i >> 8)}.${(i & 255) + 0}`,
    }));
    spec.lans[0].dhcp.static_leases = spec.lans[0].dhcp.static_leases.filter(
      (l: { ip: string }) => !/\.(0|255)$/.test(l.ip),
    );
    const result = validateSpec(spec);
    expect(result.ok ? [] : result.errors.slice(0, 3)).toEqual([]);
  });
});
