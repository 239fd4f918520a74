/**
 * Pure properties of the renderers over generated valid states (no root):
 * validation accepts every generated state as written, rendering never
 * throws, is deterministic, and every set and counter a rule names is
 * declared. The real nft and dnsmasq checks of the same states are in
 * test/integration/render-property.test.ts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateSpec } from "../../../agent/src/model/validate.js";
import { renderDnsmasq } from "../../../agent/src/render/dnsmasq.js";
import { renderNft } from "../../../agent/src/render/nft.js";
import { counters, references, sets } from "./nft-doc.js";
import { boundSpecArb, unbind } from "./spec-arbitrary.js";

const layout = {
  dir: "/var/lib/router-agent/dnsmasq",
  leaseScript: "/opt/router-agent/lib/lease-hook",
};

describe("renderers over generated valid states", () => {
  it("generates states that validateSpec accepts unchanged", () => {
    fc.assert(
      fc.property(boundSpecArb, (spec) => {
        const result = validateSpec(JSON.parse(JSON.stringify(unbind(spec))));
        if (!result.ok)
          throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join("\n"));
        expect(result.value).toEqual(unbind(spec));
      }),
      { numRuns: 200 },
    );
  });

  it("render deterministically, declare what they reference, and never throw", () => {
    fc.assert(
      fc.property(boundSpecArb, (spec) => {
        const doc = renderNft(spec);
        expect(JSON.stringify(renderNft(structuredClone(spec)))).toBe(JSON.stringify(doc));
        const refs = references(doc);
        expect([...sets(doc).keys()].sort()).toEqual([...refs.sets].sort());
        expect(counters(doc).sort()).toEqual([...refs.counters].sort());
        const files = renderDnsmasq(spec, layout);
        expect(files).toHaveLength(4);
        expect(JSON.stringify(renderDnsmasq(structuredClone(spec), layout))).toBe(
          JSON.stringify(files),
        );
      }),
      { numRuns: 200 },
    );
  });
});
