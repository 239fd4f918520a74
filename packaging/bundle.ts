/**
 * Bundles the agent and routerctl into one ESM file each with esbuild, with
 * every `.proto` the programs load embedded, so a release never reads proto
 * files from disk:
 *
 * - the `router.v1` contract is handed to `agent/src/api/proto-loader.ts` as a
 *   protobufjs JSON descriptor through the `__ROUTER_AGENT_PROTO_JSON__` define;
 * - grpc-health-check and @grpc/reflection load their own protos from
 *   `__dirname` at run time; their `loadSync` calls are rewritten at bundle
 *   time into `fromJSON` calls on the same files, parsed with the same
 *   `keepCase`. A rewrite that no longer matches its module fails the build,
 *   so a dependency update can never ship a bundle that reads missing files.
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import * as esbuild from "esbuild";
import { PROTO_FILES } from "../agent/src/api/proto-loader.js";
import { protoJson } from "./proto-json.js";

/** The bundles, by output name (`lib/<name>.js`), and their entry points. */
export const ENTRY_POINTS = {
  "router-agent": "agent/src/main.ts",
  routerctl: "host-client/src/cli/routerctl.ts",
} as const;

/** One third-party `loadSync` call to replace with `fromJSON` on an embedded descriptor. */
export interface ProtoRewrite {
  /** Matches the module's path (forward slashes). */
  module: RegExp;
  /** Matches the whole `loadSync(...)` call; capture group 1 is the options argument. */
  call: RegExp;
  /** The replacement callee, e.g. `(0, proto_loader_1.fromJSON)`. */
  fromJson: string;
  /** The include dir, relative to the module's directory (as the module's `__dirname` use has it). */
  includeDir: string;
  /** The proto file, relative to `includeDir`. */
  file: string;
  keepCase: boolean;
}

/** The rewrites for the versions in package-lock.json. */
export const THIRD_PARTY_PROTOS: ProtoRewrite[] = [
  {
    module: /node_modules\/grpc-health-check\/build\/src\/health\.js$/,
    call: /\(0, proto_loader_1\.loadSync\)\('health\/v1\/health\.proto', (\{[\s\S]*?\})\)/,
    fromJson: "(0, proto_loader_1.fromJSON)",
    includeDir: "../../proto",
    file: "health/v1/health.proto",
    keepCase: true,
  },
  {
    module: /node_modules\/@grpc\/reflection\/build\/src\/implementations\/reflection-v1\.js$/,
    call: /protoLoader\.loadSync\(protoPath, (constants_1\.PROTO_LOADER_OPTS)\)/,
    fromJson: "protoLoader.fromJSON",
    includeDir: "../../proto",
    file: "grpc/reflection/v1/reflection.proto",
    keepCase: false,
  },
  {
    module: /node_modules\/@grpc\/reflection\/build\/src\/implementations\/reflection-v1alpha\.js$/,
    call: /protoLoader\.loadSync\(protoPath, (constants_1\.PROTO_LOADER_OPTS)\)/,
    fromJson: "protoLoader.fromJSON",
    includeDir: "../../proto",
    file: "grpc/reflection/v1alpha/reflection.proto",
    keepCase: false,
  },
];

/** Applies one rewrite to a module's source; throws when the call is not found exactly once. */
export function rewriteProtoLoad(source: string, modulePath: string, rw: ProtoRewrite): string {
  const matches = source.match(new RegExp(rw.call.source, "g")) ?? [];
  if (matches.length !== 1) {
    throw new Error(
      `${modulePath}: expected exactly one ${rw.call} to embed ${rw.file}, found ${matches.length}; update packaging/bundle.ts`,
    );
  }
  const dir = join(dirname(modulePath), rw.includeDir);
  const json = protoJson(dir, [rw.file], { keepCase: rw.keepCase });
  return source.replace(
    rw.call,
    (_all, options: string) => `${rw.fromJson}(${JSON.stringify(json)}, ${options})`,
  );
}

function embedThirdPartyProtos(rewrites: ProtoRewrite[]): esbuild.Plugin {
  return {
    name: "embed-third-party-protos",
    setup(build) {
      for (const rw of rewrites) {
        build.onLoad({ filter: rw.module }, async (args) => {
          const path = args.path.replaceAll("\\", "/");
          const source = await readFile(args.path, "utf8");
          return {
            contents: rewriteProtoLoad(source, path, rw),
            loader: "js",
            resolveDir: dirname(args.path),
          };
        });
      }
    },
  };
}

/**
 * Node's ESM has no `require`, `__dirname` or `__filename`; bundled CommonJS
 * dependencies use all three.
 */
const ESM_SHIMS = [
  'import { createRequire as __raCreateRequire } from "node:module";',
  'import { fileURLToPath as __raFileURLToPath } from "node:url";',
  'import { dirname as __raDirname } from "node:path";',
  "const require = __raCreateRequire(import.meta.url);",
  "const __filename = __raFileURLToPath(import.meta.url);",
  "const __dirname = __raDirname(__filename);",
].join("\n");

export interface BundleResult {
  /** Absolute paths of the files written (bundles, source maps, legal notices). */
  files: string[];
}

/**
 * Bundles every entry point (default `ENTRY_POINTS`, paths relative to
 * `rootDir`, the repository root) into `outDir`: `<name>.js`, `<name>.js.map`
 * and, when a dependency has license comments, `<name>.js.LEGAL.txt`.
 * Throws on any esbuild error, and when a proto rewrite does not apply.
 */
export async function bundle(
  rootDir: string,
  outDir: string,
  version: string,
  entryPoints: Record<string, string> = ENTRY_POINTS,
): Promise<BundleResult> {
  const contract = protoJson(join(rootDir, "proto"), PROTO_FILES);
  const result = await esbuild.build({
    absWorkingDir: rootDir,
    entryPoints,
    outdir: outDir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    sourcesContent: false,
    legalComments: "linked",
    metafile: true,
    logLevel: "warning",
    banner: { js: ESM_SHIMS },
    define: {
      __ROUTER_AGENT_PROTO_JSON__: JSON.stringify(JSON.stringify(contract)),
      __ROUTER_AGENT_RELEASE_VERSION__: JSON.stringify(version),
    },
    plugins: [embedThirdPartyProtos(THIRD_PARTY_PROTOS)],
  });
  if (result.errors.length > 0) throw new Error(`esbuild: ${result.errors.length} errors`);
  return { files: Object.keys(result.metafile.outputs).map((f) => join(rootDir, f)) };
}
