/**
 * The offline commands: `routerctl validate` and `routerctl render`. Neither
 * talks to an agent nor touches the system; both run the agent's own code
 * (`parseRouterYaml`, the renderers) on a local `router.yaml`.
 *
 * Exit codes: 0 valid / rendered; 1 the spec is invalid (one `path: message`
 * line per error on stdout); 2 usage or I/O problem (bad flags, unreadable
 * file, a LAN that cannot be bound offline, an output directory that is not
 * ours), reported on stderr as `routerctl: ...`.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { Command, CommanderError } from "commander";
import { Option } from "commander";
import { canonicalJson } from "../../../../agent/src/model/canonical-json.js";
import { ifnameMessage } from "../../../../agent/src/model/names.js";
import { parseRouterYaml } from "../../../../agent/src/model/parse-yaml.js";
import { specHash } from "../../../../agent/src/model/spec-hash.js";
import type {
  BoundSpec,
  FieldError,
  RouterSpec,
  Validated,
} from "../../../../agent/src/model/types.js";
import { type DnsmasqLayout, renderDnsmasq } from "../../../../agent/src/render/dnsmasq.js";
import { renderNft } from "../../../../agent/src/render/nft.js";
import { readSpecText } from "../read-spec.js";

/** Where the agent keeps its dnsmasq files on a guest (docs/design.md). */
export const DEFAULT_DNSMASQ_DIR = "/var/lib/router-agent/dnsmasq";
/** The dhcp-script path written into dnsmasq.conf when none is given. */
export const DEFAULT_LEASE_SCRIPT = "/var/lib/router-agent/lease-hook.sh";
/** Lists what `render` wrote into an output directory, so a re-render can replace it. */
export const RENDER_MANIFEST = ".routerctl-render";

/** A usage or I/O problem: exit code 2. */
class UsageError extends Error {}

/** Registers `validate` and `render` on the program. */
export function registerOfflineCommands(program: Command): void {
  const validate = program
    .command("validate")
    .description("Check a router.yaml offline: exit 0 if valid, 1 with one line per error if not.")
    .requiredOption("-f, --file <path>", "the router.yaml to check ('-' for stdin)")
    .option("--json", 'print {"valid", "errors", "hash"} as JSON')
    .action(async (opts: { file: string; json?: boolean }) => {
      process.exitCode = await runCli(() => validateCommand(opts));
    });

  const render = program
    .command("render")
    .description(
      "Write what the agent would apply for a router.yaml (nft.json and dnsmasq/) without touching the system.",
    )
    .requiredOption("-f, --file <path>", "the router.yaml to render ('-' for stdin)")
    .requiredOption("--out <dir>", "output directory (created; must be empty or a previous render)")
    .addOption(
      new Option(
        "--assume-interface <lan=ifname>",
        "bind a LAN given by mac or auto to an interface name (repeatable)",
      )
        .argParser((value: string, previous: string[] = []) => [...previous, value])
        .default([]),
    )
    .option(
      "--dnsmasq-dir <dir>",
      "the agent's dnsmasq directory, as written into the files",
      DEFAULT_DNSMASQ_DIR,
    )
    .option(
      "--lease-script <path>",
      "the dhcp-script path written into dnsmasq.conf",
      DEFAULT_LEASE_SCRIPT,
    )
    .action(async (opts: RenderOptions) => {
      process.exitCode = await runCli(() => renderCommand(opts));
    });

  for (const command of [validate, render]) {
    // Commander exits 1 on bad flags, but 1 means "invalid spec" here. It has
    // already printed the problem; only the code changes.
    command.exitOverride((error: CommanderError) => {
      process.exit(error.exitCode === 0 ? 0 : 2);
    });
  }
}

async function runCli(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`routerctl: ${message}\n`);
    return error instanceof UsageError ? 2 : 3;
  }
}

/** The spec's text; an unreadable file is a usage error (exit 2). */
function readSpec(file: string): Promise<string> {
  return readSpecText(file, (message, cause) => new UsageError(message, { cause }));
}

function errorLines(errors: FieldError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}\n`).join("");
}

async function validateCommand(opts: { file: string; json?: boolean }): Promise<number> {
  const result = parseRouterYaml(await readSpec(opts.file));
  const hash = result.ok ? specHash(result.value) : null;
  if (opts.json) {
    const errors = result.ok ? [] : result.errors;
    process.stdout.write(`${JSON.stringify({ valid: result.ok, errors, hash })}\n`);
  } else if (result.ok) {
    process.stdout.write(`ok: ${opts.file} (hash ${hash?.slice(0, 12)})\n`);
  } else {
    process.stdout.write(errorLines(result.errors));
  }
  return result.ok ? 0 : 1;
}

interface RenderOptions {
  file: string;
  out: string;
  assumeInterface: string[];
  dnsmasqDir: string;
  leaseScript: string;
}

async function renderCommand(opts: RenderOptions): Promise<number> {
  const assumed = parseAssumptions(opts.assumeInterface);
  for (const [flag, path] of [
    ["--dnsmasq-dir", opts.dnsmasqDir],
    ["--lease-script", opts.leaseScript],
  ] as const) {
    if (!path.startsWith("/")) throw new UsageError(`${flag} must be an absolute path`);
  }
  const result = parseRouterYaml(await readSpec(opts.file));
  if (!result.ok) {
    process.stdout.write(errorLines(result.errors));
    return 1;
  }
  const bound = bindOffline(result.value, assumed);
  if (!bound.ok)
    throw new UsageError(
      `cannot bind LAN interfaces offline:\n${errorLines(bound.errors).trimEnd()}`,
    );

  const layout: DnsmasqLayout = { dir: opts.dnsmasqDir, leaseScript: opts.leaseScript };
  const files = new Map<string, string>([
    ["nft.json", `${canonicalJson(renderNft(bound.value))}\n`],
  ]);
  for (const file of renderDnsmasq(bound.value, layout)) {
    const rel = relative(layout.dir, file.path);
    if (rel.startsWith("..") || rel.startsWith(sep) || rel === "") {
      throw new Error(`the dnsmasq renderer wrote ${file.path}, outside ${layout.dir}`);
    }
    files.set(join("dnsmasq", rel), file.content);
  }
  await writeRender(resolve(opts.out), files);
  for (const rel of files.keys()) process.stdout.write(`wrote ${join(opts.out, rel)}\n`);
  process.stdout.write(`ok: ${opts.file} (hash ${specHash(result.value).slice(0, 12)})\n`);
  return 0;
}

/** `lan=ifname` flags to a map; usage errors for malformed or repeated ones. */
function parseAssumptions(flags: string[]): Map<string, string> {
  const assumed = new Map<string, string>();
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    const lan = flag.slice(0, eq);
    const ifname = flag.slice(eq + 1);
    if (eq <= 0) throw new UsageError(`--assume-interface ${flag}: expected lan=ifname`);
    const bad = ifnameMessage(ifname);
    if (bad) throw new UsageError(`--assume-interface ${flag}: interface name ${bad}`);
    if (assumed.has(lan)) throw new UsageError(`--assume-interface: ${lan} is given twice`);
    assumed.set(lan, ifname);
  }
  return assumed;
}

/**
 * Binds LAN interfaces without observing any link: a LAN given by name keeps
 * it; one given by mac or auto takes its `--assume-interface`. Errors name
 * the LAN's path, as the agent's binding does.
 */
export function bindOffline(spec: RouterSpec, assumed: Map<string, string>): Validated<BoundSpec> {
  const errors: FieldError[] = [];
  const owner = new Map<string, number>();
  const names = new Set(spec.lans.map((l) => l.name));
  for (const lan of assumed.keys()) {
    if (!names.has(lan))
      errors.push({ path: "--assume-interface", message: `no LAN is named ${lan}` });
  }
  const lans = spec.lans.map((lan, i) => {
    const path = `lans[${i}].interface`;
    const match = lan.interface;
    const assumption = assumed.get(lan.name);
    let ifname: string | undefined;
    if ("name" in match) {
      ifname = match.name;
      if (assumption !== undefined && assumption !== ifname) {
        errors.push({
          path,
          message: `${lan.name} names its interface ${ifname}; drop --assume-interface ${lan.name}=...`,
        });
      }
    } else if (assumption === undefined) {
      const how = "mac" in match ? `by MAC ${match.mac}` : "as auto";
      errors.push({
        path,
        message: `${lan.name} gives its interface ${how}; pass --assume-interface ${lan.name}=IFNAME`,
      });
    } else {
      ifname = assumption;
    }
    if (ifname !== undefined) {
      const first = owner.get(ifname);
      if (ifname === spec.wan.interface)
        errors.push({ path, message: `${ifname} is the WAN interface` });
      else if (first !== undefined)
        errors.push({ path, message: `${ifname} is already used by lans[${first}]` });
      else owner.set(ifname, i);
    }
    return { ...lan, ifname: ifname ?? "" };
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { ...spec, lans } };
}

/**
 * Writes `files` (relative paths) under `out`. `out` must be missing, empty,
 * or hold a previous render (its manifest); files of the previous render
 * that this one no longer has are removed, nothing else is.
 */
async function writeRender(out: string, files: Map<string, string>): Promise<void> {
  const manifestPath = join(out, RENDER_MANIFEST);
  let previous: string[] = [];
  try {
    previous = JSON.parse(await readFile(manifestPath, "utf8")) as string[];
  } catch {
    const entries = await readdir(out).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return [];
      throw new UsageError(`cannot use ${out}: ${error.code ?? error.message}`, { cause: error });
    });
    if (entries.length > 0) {
      throw new UsageError(
        `${out} is not empty and holds no previous render; choose another --out`,
      );
    }
  }
  try {
    for (const rel of previous) {
      if (typeof rel === "string" && !files.has(rel) && !rel.split(/[\\/]/).includes("..")) {
        await rm(join(out, rel), { force: true });
      }
    }
    for (const [rel, content] of files) {
      const path = join(out, rel);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    }
    await writeFile(manifestPath, `${JSON.stringify([...files.keys()], null, 2)}\n`);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot write to ${out}: ${reason}`, { cause: error });
  }
}
