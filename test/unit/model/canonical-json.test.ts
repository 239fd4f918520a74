import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../agent/src/model/canonical-json.js";

describe("canonicalJson", () => {
  it("sorts keys at every depth and keeps array order", () => {
    const a = canonicalJson({ b: 1, a: { d: [3, 1, { z: 1, y: 2 }], c: null } });
    expect(a).toBe(
      [
        "{",
        '  "a": {',
        '    "c": null,',
        '    "d": [',
        "      3,",
        "      1,",
        "      {",
        '        "y": 2,',
        '        "z": 1',
        "      }",
        "    ]",
        "  },",
        '  "b": 1',
        "}",
      ].join("\n"),
    );
  });

  it("prints the same text whatever order keys were inserted in", () => {
    expect(canonicalJson({ x: 1, y: [{ p: 1, q: 2 }] })).toBe(
      canonicalJson({ y: [{ q: 2, p: 1 }], x: 1 }),
    );
  });

  it("drops undefined members like JSON.stringify", () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{\n  "b": [\n    null\n  ]\n}');
  });
});
