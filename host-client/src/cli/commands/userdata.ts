/**
 * `routerctl userdata`: writes the Slicer userdata script that installs the
 * agent at a guest's first boot (see `host-client/src/userdata/render-userdata.ts`).
 * `routerctl serve-release`: serves release tarballs to guests over HTTP.
 *
 * Only I/O lives here: reading the files, hashing the release, checking the
 * initial router.yaml with the agent's own validator, writing the script.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import type { Command } from "commander";
import { parseRouterYaml } from "../../../../agent/src/model/parse-yaml.js";
import type { FieldError } from "../../../../agent/src/model/types.js";
import { parseReleaseFileName } from "../../userdata/release-name.js";
import { servableFiles, startReleaseServer } from "../../userdata/release-server.js";
import {
  DEFAULT_MAX_EMBED_BYTES,
  type ReleaseSource,
  renderUserdata,
} from "../../userdata/render-userdata.js";

interface UserdataFlags {
  pki?: string;
  ca?: string;
  serverCert?: string;
  serverKey?: string;
  lanInterface: string;
  wanInterface: string;
  routerYaml?: string;
  agentYaml?: string;
  embed?: string;
  releaseUrl?: string;
  releaseSha256?: string;
  maxEmbedMb?: string;
  out?: string;
}

/** A failure the user can fix; printed without a stack trace. */
class UsageError extends Error {}

const SHA256_RE = /^[0-9a-f]{64}$/;

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    throw new UsageError(`${what}: cannot read ${path}: ${(err as Error).message}`);
  }
}

/** The SHA-256 from `--release-sha256` (hex, or a `sha256sum` file), or from `release/<name>.sha256`. */
async function pinnedSha256(flag: string | undefined, fileName: string): Promise<string> {
  const candidates = flag === undefined ? [join("release", `${fileName}.sha256`)] : [];
  if (flag !== undefined) {
    if (SHA256_RE.test(flag)) return flag;
    candidates.push(flag);
  }
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const hex = (await readFile(path, "utf8")).trim().split(/\s+/)[0] ?? "";
    if (SHA256_RE.test(hex)) return hex;
    throw new UsageError(`${path} does not start with a SHA-256`);
  }
  throw new UsageError(
    `--release-url needs the tarball's SHA-256: --release-sha256 HEX|FILE (looked for ${candidates.join(", ")})`,
  );
}

async function releaseSource(flags: UserdataFlags): Promise<ReleaseSource> {
  if ((flags.embed === undefined) === (flags.releaseUrl === undefined)) {
    throw new UsageError("give exactly one of --embed TARBALL and --release-url URL");
  }
  if (flags.embed !== undefined) {
    const bytes = await readFile(flags.embed).catch((err: Error) => {
      throw new UsageError(`--embed: cannot read ${flags.embed}: ${err.message}`);
    });
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const sidecar = `${flags.embed}.sha256`;
    if (existsSync(sidecar)) {
      const pinned = (await readFile(sidecar, "utf8")).trim().split(/\s+/)[0];
      if (pinned !== sha256) {
        throw new UsageError(`${flags.embed} does not match ${sidecar}: rebuild or re-download it`);
      }
    }
    return { kind: "embed", fileName: basename(flags.embed), sha256, bytes };
  }
  const url = flags.releaseUrl as string;
  const fileName = basename(new URL(url).pathname);
  return {
    kind: "url",
    fileName,
    url,
    sha256: await pinnedSha256(flags.releaseSha256, fileName),
  };
}

function formatErrors(errors: FieldError[]): string {
  return errors.map((e) => `  ${e.path}: ${e.message}`).join("\n");
}

async function userdata(flags: UserdataFlags, version: string): Promise<void> {
  const pki = flags.pki === undefined ? undefined : resolve(flags.pki);
  const ca = flags.ca ?? (pki && join(pki, "ca.crt"));
  const serverCert = flags.serverCert ?? (pki && join(pki, "server.crt"));
  const serverKey = flags.serverKey ?? (pki && join(pki, "server.key"));
  if (!ca || !serverCert || !serverKey) {
    throw new UsageError("give --pki DIR, or all of --ca, --server-cert and --server-key");
  }
  const release = await releaseSource(flags);
  if (!parseReleaseFileName(release.fileName)) {
    throw new UsageError(
      `${release.fileName} is not a release tarball name (router-agent-<version>-linux-<arch>.tar.gz)`,
    );
  }

  let routerYaml: string | undefined;
  if (flags.routerYaml !== undefined) {
    routerYaml = await readText(flags.routerYaml, "--router-yaml");
    const parsed = parseRouterYaml(routerYaml);
    if (!parsed.ok) {
      throw new UsageError(
        `--router-yaml ${flags.routerYaml} is not valid:\n${formatErrors(parsed.errors)}`,
      );
    }
    if (parsed.value.wan.interface !== flags.wanInterface) {
      throw new UsageError(
        `--router-yaml says wan.interface ${parsed.value.wan.interface}, but --wan-interface is ${flags.wanInterface}`,
      );
    }
    if (parsed.value.wan.management.cidrs.length === 0) {
      process.stderr.write(
        "routerctl userdata: warning: wan.management.cidrs is empty: once applied, the host cannot reach the agent's API\n",
      );
    }
  }

  const maxEmbedBytes =
    flags.maxEmbedMb === undefined
      ? DEFAULT_MAX_EMBED_BYTES
      : Math.round(Number(flags.maxEmbedMb) * 1024 * 1024);
  if (!Number.isFinite(maxEmbedBytes) || maxEmbedBytes <= 0) {
    throw new UsageError("--max-embed-mb must be a positive number");
  }

  const result = renderUserdata({
    release,
    lanInterface: flags.lanInterface,
    wanInterface: flags.wanInterface,
    caPem: await readText(ca, "--ca"),
    serverCertPem: await readText(serverCert, "--server-cert"),
    serverKeyPem: await readText(serverKey, "--server-key"),
    ...(flags.agentYaml === undefined
      ? {}
      : { agentYaml: await readText(flags.agentYaml, "--agent-yaml") }),
    ...(routerYaml === undefined ? {} : { routerYaml }),
    maxEmbedBytes,
    generatedBy: `routerctl ${version}`,
  });
  if (!result.ok) throw new UsageError(`cannot write userdata:\n${formatErrors(result.errors)}`);

  if (flags.out === undefined) {
    process.stdout.write(result.value);
    return;
  }
  // The script carries the agent's private key.
  await writeFile(flags.out, result.value, { mode: 0o600 });
  await chmod(flags.out, 0o600);
  process.stderr.write(
    `routerctl userdata: wrote ${flags.out} (${result.value.length} bytes, mode 0600; it holds the agent's key)\n`,
  );
}

function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:]+)):([0-9]{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || port > 65_535) throw new UsageError(`--listen ${text}: expected HOST:PORT`);
  return { host: (m[1] ?? m[2]) as string, port };
}

async function serveRelease(flags: { dir: string; listen: string }): Promise<void> {
  const dir = resolve(flags.dir);
  const { host, port } = parseListen(flags.listen);
  const files = await servableFiles(dir).catch((err: Error) => {
    throw new UsageError(`--dir ${dir}: ${err.message}`);
  });
  const server = await startReleaseServer({
    dir,
    host,
    port,
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  }).catch((err: Error) => {
    throw new UsageError(`cannot listen on ${flags.listen}: ${err.message}`);
  });
  process.stderr.write(`routerctl serve-release: serving ${dir} at ${server.url}\n`);
  for (const name of files.filter((f) => parseReleaseFileName(f))) {
    const sidecar = join(dir, `${name}.sha256`);
    const sha = existsSync(sidecar) ? (await readFile(sidecar, "utf8")).trim().split(/\s+/)[0] : "";
    process.stdout.write(`${server.url}/${name}${sha ? `  sha256 ${sha}` : ""}\n`);
  }
  await new Promise<void>((done) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      server.close().then(done, done);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** Runs an action, printing a `UsageError` as one message with exit code 2. */
function action<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    try {
      await fn(...args);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      process.stderr.write(`routerctl: ${err.message}\n`);
      process.exitCode = 2;
    }
  };
}

/** Adds `userdata` and `serve-release` to the program. */
export function registerUserdataCommands(program: Command): void {
  const version = program.version() ?? "0.0.0";
  program
    .command("userdata")
    .description(
      "Write a Slicer userdata script that installs and starts the agent at the guest's first boot.",
    )
    .option("--pki <dir>", "take --ca, --server-cert, --server-key from a `routerctl pki init` dir")
    .option("--ca <file>", "the management CA certificate (PEM)")
    .option("--server-cert <file>", "the agent's server certificate (PEM)")
    .option("--server-key <file>", "the agent's server key (PEM)")
    .option("--lan-interface <name>", 'the LAN NIC inside the guest, or "auto"', "auto")
    .option("--wan-interface <name>", "the uplink inside the guest", "eth0")
    .option("--router-yaml <file>", "initial desired state, applied at the agent's first start")
    .option("--agent-yaml <file>", "the agent's config (default: the release's etc/agent.yaml)")
    .option("--embed <tarball>", "carry the release inside the script (base64)")
    .option("--release-url <url>", "fetch the release from here (e.g. routerctl serve-release)")
    .option(
      "--release-sha256 <hex|file>",
      "SHA-256 of the --release-url tarball (default: release/<name>.sha256)",
    )
    .option(
      "--max-embed-mb <n>",
      `largest tarball --embed accepts (default ${DEFAULT_MAX_EMBED_BYTES / 1024 / 1024})`,
    )
    .option("-o, --out <file>", "write here (mode 0600) instead of stdout")
    .action(action((flags: UserdataFlags) => userdata(flags, version)));

  program
    .command("serve-release")
    .description("Serve release tarballs over HTTP to guests (for userdata --release-url).")
    .option("--dir <dir>", "the directory with the tarballs", "release")
    .option("--listen <host:port>", "address to listen on, e.g. the bridge's", "192.168.130.1:8099")
    .action(action((flags: { dir: string; listen: string }) => serveRelease(flags)));
}
