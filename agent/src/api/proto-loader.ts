/**
 * Loads the `router.v1` contract from `proto/` once per process, with the
 * options the generated types in `proto/gen` were made with (see the
 * `gen:proto` npm script): keepCase, longs as Number (64-bit values must stay
 * below 2^53), enums as String, defaults, oneofs.
 *
 * Both the agent and the host client use it. The proto directory is found by
 * walking up from this file (works from the source tree and from `dist/`), or
 * taken from `ROUTER_AGENT_PROTO_DIR`. The release bundles carry the contract
 * instead (`__ROUTER_AGENT_PROTO_JSON__`, see packaging/bundle.ts) and read no
 * proto files. Throws when the files cannot be found or parsed.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import protobuf from "protobufjs";
import type { ProtoGrpcType } from "../../../proto/gen/router.js";

/** The options the contract is loaded with; `proto-loader-gen-types` uses the same. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** The proto files of the contract, relative to the proto directory. */
export const PROTO_FILES = ["router/v1/router.proto", "google/rpc/error_details.proto"];

/** Full name of the service, as health checks and reflection know it. */
export const SERVICE_NAME = "router.v1.RouterAgent";

export interface RouterProto {
  /** The directory the files were loaded from. */
  dir: string;
  packageDefinition: protoLoader.PackageDefinition;
  grpcObject: ProtoGrpcType;
  /** protobufjs reflection: encodes `google.rpc` details, drives the spec codec. */
  root: protobuf.Root;
}

let cached: RouterProto | undefined;

/**
 * Set only in release bundles (an esbuild `define`): the contract as a
 * protobufjs JSON descriptor, parsed from PROTO_FILES with keepCase.
 */
declare const __ROUTER_AGENT_PROTO_JSON__: string | undefined;

/** The loaded contract; loaded on first use. */
export function routerProto(): RouterProto {
  cached ??=
    typeof __ROUTER_AGENT_PROTO_JSON__ === "string"
      ? routerProtoFromJson(JSON.parse(__ROUTER_AGENT_PROTO_JSON__) as protobuf.INamespace)
      : loadRouterProto(findProtoDir());
  return cached;
}

/**
 * Loads the contract from a JSON descriptor (packaging/proto-json.ts makes
 * one); `dir` is then "(embedded)". Throws on a malformed descriptor.
 */
export function routerProtoFromJson(json: protobuf.INamespace): RouterProto {
  const packageDefinition = protoLoader.fromJSON(json, LOADER_OPTIONS);
  const grpcObject = grpc.loadPackageDefinition(packageDefinition) as unknown as ProtoGrpcType;
  const root = protobuf.Root.fromJSON(json);
  root.resolveAll();
  return { dir: "(embedded)", packageDefinition, grpcObject, root };
}

/** Loads the contract from `dir`. Throws on a missing or malformed file. */
export function loadRouterProto(dir: string): RouterProto {
  const packageDefinition = protoLoader.loadSync(PROTO_FILES, {
    ...LOADER_OPTIONS,
    includeDirs: [dir],
  });
  const grpcObject = grpc.loadPackageDefinition(packageDefinition) as unknown as ProtoGrpcType;
  const root = new protobuf.Root();
  const fallback = root.resolvePath;
  root.resolvePath = (origin, target) => {
    const candidate = join(dir, target);
    return existsSync(candidate) ? candidate : fallback(origin, target);
  };
  root.loadSync(PROTO_FILES, { keepCase: true });
  root.resolveAll();
  return { dir, packageDefinition, grpcObject, root };
}

/** `ROUTER_AGENT_PROTO_DIR`, or the nearest ancestor's `proto/` holding the contract. */
export function findProtoDir(): string {
  const fromEnv = process.env.ROUTER_AGENT_PROTO_DIR;
  if (fromEnv) return resolve(fromEnv);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "proto");
    if (existsSync(join(candidate, PROTO_FILES[0] as string))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(
        `cannot find ${PROTO_FILES[0]} above ${fileURLToPath(import.meta.url)}; set ROUTER_AGENT_PROTO_DIR`,
      );
    }
    dir = parent;
  }
}
