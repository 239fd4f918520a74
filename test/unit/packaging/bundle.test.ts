import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as protoLoader from "@grpc/proto-loader";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  loadRouterProto,
  PROTO_FILES,
  routerProtoFromJson,
} from "../../../agent/src/api/proto-loader.js";
import { bundle, rewriteProtoLoad, THIRD_PARTY_PROTOS } from "../../../packaging/bundle.js";
import { protoJson } from "../../../packaging/proto-json.js";
import { REPO } from "./fake-release.js";

/** A comparable summary of a package definition: services' methods and messages' fields. */
function summary(def: protoLoader.PackageDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(def)) {
    if ("format" in value) {
      const type = (value as protoLoader.MessageTypeDefinition<unknown, unknown>).type as {
        field?: Array<{ name: string; number: number; type: string; label: string }>;
      };
      out[name] = (type.field ?? []).map((f) => `${f.number} ${f.label} ${f.type} ${f.name}`);
    } else {
      out[name] = Object.entries(value as protoLoader.ServiceDefinition)
        .map(([m, d]) => `${m} ${d.path} ${d.requestStream} ${d.responseStream}`)
        .sort();
    }
  }
  return out;
}

describe("embedded protos", () => {
  it("the JSON descriptor loads the same contract as the .proto files", () => {
    const dir = join(REPO, "proto");
    const fromFiles = loadRouterProto(dir);
    const fromJson = routerProtoFromJson(protoJson(dir, PROTO_FILES));
    expect(fromJson.dir).toBe("(embedded)");
    expect(summary(fromJson.packageDefinition)).toEqual(summary(fromFiles.packageDefinition));
    const spec = "router.v1.RouterSpec";
    expect(Object.keys(fromJson.root.lookupType(spec).fields)).toEqual(
      Object.keys(fromFiles.root.lookupType(spec).fields),
    );
  });

  it("a rewrite that no longer matches its module fails loudly", () => {
    const rw = THIRD_PARTY_PROTOS[0];
    if (!rw) throw new Error("no rewrites");
    expect(() =>
      rewriteProtoLoad("const x = 1;", "/x/node_modules/grpc-health-check/build/src/health.js", rw),
    ).toThrow(/expected exactly one/);
  });
});

describe("bundle", () => {
  let out: string;
  let elsewhere: string;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), "ra-bundle-"));
    elsewhere = await mkdtemp(join(tmpdir(), "ra-bundle-run-"));
    await bundle(REPO, out, "0.0.0-test", {
      probe: "test/unit/packaging/fixtures/bundle-probe.ts",
    });
  });

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
    await rm(elsewhere, { recursive: true, force: true });
  });

  it("runs from a directory with no proto files, with every proto embedded", () => {
    const stdout = execFileSync(process.execPath, [join(out, "probe.js")], {
      cwd: elsewhere,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "" },
    });
    const result = JSON.parse(stdout) as { dir: string; service: boolean; specFields: string[] };
    expect(result.dir).toBe("(embedded)");
    expect(result.service).toBe(true);
    expect(result.specFields).toEqual(["dns", "firewall", "lans", "wan"]);
  });

  it("writes a linked source map and no reference to the source tree's proto dir", async () => {
    const js = await readFile(join(out, "probe.js"), "utf8");
    expect(js).toMatch(/\/\/# sourceMappingURL=probe\.js\.map\s*$/);
    expect(js).not.toContain("loadSync('health/v1/health.proto'");
    expect(js).not.toContain("protoLoader.loadSync(protoPath");
  });
});
