/**
 * The `router.v1` contract as a protobufjs JSON descriptor, for embedding in
 * the release bundles so the agent and routerctl never read `.proto` files at
 * run time. Parsed with the same files and `keepCase` as
 * `agent/src/api/proto-loader.ts` loads them, so `protoLoader.fromJSON` on the
 * result gives the same package definition as `loadSync` on the files.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import protobuf from "protobufjs";

/**
 * Parses `files` (relative to `dir`) into one JSON descriptor; `keepCase`
 * (default true) keeps field names as written, false camelCases them like
 * proto-loader does without the option. Throws on a parse error.
 */
export function protoJson(
  dir: string,
  files: readonly string[],
  opts: { keepCase?: boolean } = {},
): protobuf.INamespace {
  const root = new protobuf.Root();
  const fallback = root.resolvePath;
  root.resolvePath = (origin, target) => {
    const candidate = join(dir, target);
    return existsSync(candidate) ? candidate : fallback(origin, target);
  };
  root.loadSync([...files], { keepCase: opts.keepCase ?? true });
  root.resolveAll();
  return root.toJSON({ keepComments: false });
}
