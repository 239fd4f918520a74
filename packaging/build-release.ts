/**
 * `make release`: builds `release/router-agent-<version>-linux-<arch>.tar.gz`
 * (and its `.sha256`) for every architecture in `RELEASE_ARCHES`.
 *
 * Each tarball holds one directory, `router-agent-<version>-linux-<arch>/`:
 *
 *   bin/node                  the pinned Node.js runtime (packaging/node-runtime.ts)
 *   bin/routerctl             a sh wrapper: bin/node lib/routerctl.js
 *   lib/router-agent.js       the agent bundle (+ .map, + .LEGAL.txt)
 *   lib/routerctl.js          the CLI bundle (+ .map, + .LEGAL.txt)
 *   systemd/router-agent.service
 *   etc/agent.yaml            the default agent config
 *   install.sh                install, upgrade, uninstall
 *   doc/slicer.md             the install guide (docs/slicer.md)
 *   release.env               VERSION, ARCH, NODE_VERSION, COMMIT
 *   LICENSE.node              Node.js's license
 *
 * The tarball is reproducible: sorted entries, owner 0, mtime of the last
 * commit, `gzip -n`. Usage: `node <compiled>.mjs [--arch x64,arm64] [--out release]`.
 * Exits non-zero, with the cause, on any failure; a failed build leaves no
 * tarball behind.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, copyFile, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { promisify } from "node:util";
import {
  RELEASE_ARCHES,
  type ReleaseArch,
  releaseDirName,
  releaseFileName,
} from "../host-client/src/userdata/release-name.js";
import { bundle } from "./bundle.js";
import { fetchNodeRuntime, NODE_VERSION } from "./node-runtime.js";

const execFileAsync = promisify(execFile);

interface BuildOptions {
  rootDir: string;
  outDir: string;
  cacheDir: string;
  arches: ReleaseArch[];
}

/** The `bin/routerctl` wrapper: resolves symlinks, so /usr/local/bin/routerctl works. */
const ROUTERCTL_WRAPPER = `#!/bin/sh
# routerctl from this release, run by the Node.js runtime shipped with it.
here=$(dirname "$(readlink -f "$0")")
exec "$here/node" --enable-source-maps "$here/../lib/routerctl.js" "$@"
`;

async function run(cmd: string, args: string[], cwd?: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync(cmd, args, { cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? "";
    throw new Error(`${cmd} ${args.join(" ")} failed: ${stderr.trim()}`, { cause: err });
  }
}

async function sha256File(path: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
}

/** Seconds since the epoch of HEAD's commit (reproducible mtimes), or now outside git. */
async function sourceDateEpoch(rootDir: string): Promise<{ epoch: number; commit: string }> {
  try {
    const out = await run("git", ["log", "-1", "--format=%ct %H"], rootDir);
    const [ct, commit] = out.trim().split(" ");
    return { epoch: Number(ct), commit: commit ?? "unknown" };
  } catch {
    return { epoch: Math.floor(Date.now() / 1000), commit: "unknown" };
  }
}

async function buildArch(
  opts: BuildOptions,
  arch: ReleaseArch,
  version: string,
  libDir: string,
  meta: { epoch: number; commit: string },
): Promise<{ tarball: string; sha256: string; bytes: number }> {
  const name = releaseDirName(version, arch);
  const stage = join(opts.outDir, ".stage", arch);
  const top = join(stage, name);
  await rm(stage, { recursive: true, force: true });
  for (const d of ["bin", "lib", "systemd", "etc", "doc"]) {
    await mkdir(join(top, d), { recursive: true });
  }

  const nodeTgz = await fetchNodeRuntime(arch, join(opts.cacheDir, "node"));
  const unpack = join(stage, "node");
  await mkdir(unpack);
  await run("tar", ["-xzf", nodeTgz, "-C", unpack, "package/bin/node", "package/LICENSE"]);
  await copyFile(join(unpack, "package/bin/node"), join(top, "bin/node"));
  await chmod(join(top, "bin/node"), 0o755);
  await copyFile(join(unpack, "package/LICENSE"), join(top, "LICENSE.node"));
  await rm(unpack, { recursive: true });

  for (const f of [
    "router-agent.js",
    "router-agent.js.map",
    "router-agent.js.LEGAL.txt",
    "routerctl.js",
    "routerctl.js.map",
    "routerctl.js.LEGAL.txt",
  ]) {
    const from = join(libDir, f);
    if (f.endsWith(".LEGAL.txt") && !(await exists(from))) continue;
    await copyFile(from, join(top, "lib", f));
  }
  await writeFile(join(top, "bin/routerctl"), ROUTERCTL_WRAPPER, { mode: 0o755 });
  const pkg = join(opts.rootDir, "packaging");
  await copyFile(
    join(pkg, "systemd/router-agent.service"),
    join(top, "systemd/router-agent.service"),
  );
  await copyFile(join(pkg, "agent.yaml"), join(top, "etc/agent.yaml"));
  await copyFile(join(pkg, "install.sh"), join(top, "install.sh"));
  await copyFile(join(opts.rootDir, "docs/slicer.md"), join(top, "doc/slicer.md"));
  await chmod(join(top, "install.sh"), 0o755);
  await writeFile(
    join(top, "release.env"),
    `VERSION=${version}\nARCH=${arch}\nNODE_VERSION=${NODE_VERSION}\nCOMMIT=${meta.commit}\n`,
  );

  const tarball = join(opts.outDir, releaseFileName(version, arch));
  const partial = `${tarball}.partial`;
  await run("sh", [
    "-c",
    'tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$1" -C "$2" -cf - "$3" | gzip -n -9 >"$4"',
    "tar",
    String(meta.epoch),
    stage,
    name,
    partial,
  ]);
  await run("mv", ["-f", partial, tarball]);
  const sha256 = await sha256File(tarball);
  await writeFile(`${tarball}.sha256`, `${sha256}  ${basename(tarball)}\n`);
  await rm(stage, { recursive: true, force: true });
  return { tarball, sha256, bytes: (await stat(tarball)).size };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function parseArgs(argv: string[], rootDir: string): BuildOptions {
  const opts: BuildOptions = {
    rootDir,
    outDir: join(rootDir, "release"),
    cacheDir: join(rootDir, ".cache"),
    arches: [...RELEASE_ARCHES],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === "--out" && value) {
      opts.outDir = resolve(value);
      i++;
    } else if (arg === "--cache" && value) {
      opts.cacheDir = resolve(value);
      i++;
    } else if (arg === "--arch" && value) {
      opts.arches = value.split(",").map((a) => {
        if (!(RELEASE_ARCHES as readonly string[]).includes(a))
          throw new Error(`unknown arch ${a}`);
        return a as ReleaseArch;
      });
      i++;
    } else {
      throw new Error(
        `usage: build-release [--arch x64,arm64] [--out DIR] [--cache DIR] (got ${arg})`,
      );
    }
  }
  return opts;
}

async function main(): Promise<void> {
  const rootDir = resolve(process.env.ROUTER_AGENT_ROOT ?? process.cwd());
  const opts = parseArgs(process.argv.slice(2), rootDir);
  const { version } = JSON.parse(await readFile(join(rootDir, "package.json"), "utf8")) as {
    version: string;
  };
  const meta = await sourceDateEpoch(rootDir);
  await mkdir(opts.outDir, { recursive: true });
  const libDir = join(opts.outDir, ".stage", "lib");
  await rm(libDir, { recursive: true, force: true });
  await bundle(rootDir, libDir, version);
  for (const arch of opts.arches) {
    const r = await buildArch(opts, arch, version, libDir, meta);
    const mb = (r.bytes / 1024 / 1024).toFixed(1);
    console.log(`${basename(r.tarball)}  ${mb} MiB  sha256 ${r.sha256}`);
  }
  await rm(join(opts.outDir, ".stage"), { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(`build-release: ${err instanceof Error ? err.message : String(err)}`);
  if (err instanceof Error && err.cause) console.error(err.cause);
  process.exit(1);
});
