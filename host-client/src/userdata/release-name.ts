/**
 * Names of release tarballs: `router-agent-<version>-linux-<arch>.tar.gz`.
 * Shared by the build (which writes them), `routerctl userdata` (which reads
 * version and architecture back from a file name) and the generated script
 * (which compares the architecture with `uname -m`). Pure.
 */

/** The architectures a release is built for, in Node.js's naming. */
export const RELEASE_ARCHES = ["x64", "arm64"] as const;
export type ReleaseArch = (typeof RELEASE_ARCHES)[number];

/** What `uname -m` prints on a machine that runs each architecture. */
export const UNAME_MACHINE: Record<ReleaseArch, readonly string[]> = {
  x64: ["x86_64", "amd64"],
  arm64: ["aarch64", "arm64"],
};

const VERSION_RE = /^[0-9]+\.[0-9]+\.[0-9]+(?:[-+][0-9A-Za-z.-]+)?$/;
const NAME_RE = /^router-agent-(.+)-linux-(x64|arm64)\.tar\.gz$/;

export interface ReleaseName {
  version: string;
  arch: ReleaseArch;
}

/** True for a semver-like version made of plain characters only. */
export function isReleaseVersion(version: string): boolean {
  return VERSION_RE.test(version);
}

/** The tarball's file name; throws on a version that is not semver-like. */
export function releaseFileName(version: string, arch: ReleaseArch): string {
  if (!isReleaseVersion(version))
    throw new Error(`not a release version: ${JSON.stringify(version)}`);
  return `router-agent-${version}-linux-${arch}.tar.gz`;
}

/** The top-level directory inside the tarball (its file name without `.tar.gz`). */
export function releaseDirName(version: string, arch: ReleaseArch): string {
  return releaseFileName(version, arch).slice(0, -".tar.gz".length);
}

/** Parses a tarball's base name; undefined when it is not a release name. */
export function parseReleaseFileName(fileName: string): ReleaseName | undefined {
  const m = NAME_RE.exec(fileName);
  if (!m) return undefined;
  const [, version, arch] = m as unknown as [string, string, ReleaseArch];
  return isReleaseVersion(version) ? { version, arch } : undefined;
}
