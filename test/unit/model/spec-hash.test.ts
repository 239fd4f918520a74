import { describe, expect, it } from "vitest";
import { parseRouterYaml } from "../../../agent/src/model/parse-yaml.js";
import { specHash } from "../../../agent/src/model/spec-hash.js";
import type { RouterSpec } from "../../../agent/src/model/types.js";

function spec(yaml: string): RouterSpec {
  const result = parseRouterYaml(yaml);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

const A = `
wan: {interface: eth0, masquerade: true}
lans:
  - name: lan2
    interface: ens7
    address: 10.88.0.1/24
    dhcp: {ranges: [{start: 10.88.0.50, end: 10.88.0.200}], lease_time: 12h}
dns: {upstreams: [1.1.1.1, 8.8.8.8]}
`;

/** A in another key order, with defaults written out and other spellings. */
const A_REORDERED = `
dns:
  block_mode: nxdomain
  upstreams: [1.1.1.1, 8.8.8.8]
lans:
  - dhcp:
      lease_time: 12h
      router: 10.88.0.1
      ranges: [{end: 10.88.0.200, start: 10.88.0.50}]
    address: 10.88.0.1/24
    interface: {name: ens7}
    name: lan2
wan: {management: {ports: [7443]}, interface: eth0}
firewall: {}
`;

describe("specHash", () => {
  it("is sha256 hex", () => {
    expect(specHash(spec(A))).toMatch(/^[0-9a-f]{64}$/);
  });

  it("does not depend on key order or on defaults being written out", () => {
    expect(specHash(spec(A_REORDERED))).toBe(specHash(spec(A)));
  });

  it("changes with any value, and with list order", () => {
    const base = specHash(spec(A));
    expect(specHash(spec(A.replace("12h", "1d")))).not.toBe(base);
    expect(specHash(spec(A.replace("[1.1.1.1, 8.8.8.8]", "[8.8.8.8, 1.1.1.1]")))).not.toBe(base);
  });

  it("is stable across releases for the same spec", () => {
    // Stored revisions are compared by hash; changing this value means every
    // agent will see its applied state as different after an upgrade.
    expect(specHash(spec(A))).toMatchInlineSnapshot(
      `"3c36bff9db4356653ca14099bc7caee892186d5b0046dc295493748698cad507"`,
    );
  });
});
