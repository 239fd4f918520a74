import { describe, expect, it } from "vitest";
import { cidrElements, portElements } from "../../../agent/src/render/nft-sets.js";

describe("cidrElements", () => {
  it("splits families, clears host bits and writes full-length prefixes as addresses", () => {
    expect(
      cidrElements(["10.1.2.3/8", "2001:db8::1/32", "192.0.2.7/32", "2001:db8:1::5", "192.0.2.9"]),
    ).toEqual({
      v4: [{ prefix: { addr: "10.0.0.0", len: 8 } }, "192.0.2.7", "192.0.2.9"],
      v6: [{ prefix: { addr: "2001:db8::", len: 32 } }],
    });
  });

  it("drops duplicates and blocks inside larger ones, keeps adjacent blocks apart", () => {
    expect(
      cidrElements(["10.0.1.0/24", "10.0.0.0/16", "10.0.0.0/16", "10.1.0.0/24", "10.1.1.0/24"]).v4,
    ).toEqual([
      { prefix: { addr: "10.0.0.0", len: 16 } },
      { prefix: { addr: "10.1.0.0", len: 24 } },
      { prefix: { addr: "10.1.1.0", len: 24 } },
    ]);
  });

  it("is independent of input order", () => {
    const list = [
      "203.0.113.0/24",
      "10.0.0.0/8",
      "::/0",
      "198.51.100.7",
      "10.5.0.0/16",
      "fd00::/8",
    ];
    const reversed = [...list].reverse();
    expect(cidrElements(reversed)).toEqual(cidrElements(list));
    expect(cidrElements(list).v6).toEqual([{ prefix: { addr: "::", len: 0 } }]);
  });

  it("leaves out what does not parse instead of throwing", () => {
    expect(
      cidrElements(["nonsense", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "1.2.3.4"]).v4,
    ).toEqual(["1.2.3.4"]);
  });
});

describe("portElements", () => {
  it("sorts, joins overlapping ranges and writes single ports as numbers", () => {
    expect(portElements(["443", "8000-8100", "22", "8050-8200", "22", 80])).toEqual([
      22,
      80,
      443,
      { range: [8000, 8200] },
    ]);
  });

  it("leaves out ports outside 1..65535 and reversed ranges", () => {
    expect(portElements(["0", "65536", "10-5", "x", "65535"])).toEqual([65535]);
  });
});
