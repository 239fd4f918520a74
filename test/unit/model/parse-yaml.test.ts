import { describe, expect, it } from "vitest";
import { parseRouterYaml } from "../../../agent/src/model/parse-yaml.js";

const MINIMAL =
  "wan: {interface: eth0}\nlans:\n  - {name: lan, interface: auto, address: 10.0.0.1/24}\n";

describe("parseRouterYaml", () => {
  it("parses and validates a document", () => {
    const result = parseRouterYaml(MINIMAL);
    expect(result.ok && result.value.lans[0]?.interface).toEqual({ auto: true });
  });

  it("reports a syntax error as one (yaml) error with line and column", () => {
    expect(parseRouterYaml("wan: {interface: eth0\nlans: []\n")).toEqual({
      ok: false,
      errors: [
        {
          path: "(yaml)",
          message: expect.stringMatching(/^line 2, column \d+: .+/),
        },
      ],
    });
  });

  it("refuses duplicate keys", () => {
    expect(parseRouterYaml(`${MINIMAL}wan: {interface: eth1}\n`)).toEqual({
      ok: false,
      errors: [
        {
          path: "(yaml)",
          message: "line 4, column 1: duplicate key; each key may appear once per mapping",
        },
      ],
    });
  });

  it("refuses several documents", () => {
    expect(parseRouterYaml(`${MINIMAL}---\n${MINIMAL}`)).toEqual({
      ok: false,
      errors: [
        { path: "(yaml)", message: "line 4, column 1: a router.yaml holds exactly one document" },
      ],
    });
  });

  it("refuses unknown tags rather than ignoring them", () => {
    const result = parseRouterYaml(MINIMAL.replace("eth0", "!!python/object eth0"));
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: "(yaml)", message: expect.stringMatching(/^line 1, column \d+: Unresolved tag/) },
      ],
    });
  });

  it("refuses an empty file", () => {
    expect(parseRouterYaml("# nothing\n")).toEqual({
      ok: false,
      errors: [{ path: "(yaml)", message: "the document is empty" }],
    });
  });

  it("refuses alias bombs", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
    ].join("\n");
    const result = parseRouterYaml(bomb);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(["(yaml)"]);
  });

  it("hands sound YAML with a bad spec to validation, with field paths", () => {
    expect(parseRouterYaml(MINIMAL.replace("10.0.0.1/24", "10.0.0.0/24"))).toEqual({
      ok: false,
      errors: [
        {
          path: "lans[0].address",
          message:
            "10.0.0.0 is the network address of 10.0.0.0/24; the LAN address must be a host address such as 10.0.0.1/24",
        },
      ],
    });
  });

  it("keeps YAML 1.2 scalars as written: yes/no and 010 are not booleans or octal", () => {
    const result = parseRouterYaml(
      MINIMAL.replace("{interface: eth0}", "{interface: eth0, masquerade: yes}"),
    );
    expect(result.ok ? [] : result.errors).toEqual([
      { path: "wan.masquerade", message: "expected true or false" },
    ]);
  });
});
