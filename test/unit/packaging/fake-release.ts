/**
 * Fake releases and a fake systemctl for running `packaging/install.sh` and
 * the generated userdata without touching the machine.
 *
 * A fake release is the real release layout (the real install.sh, unit and
 * default agent.yaml) with a shell script standing in for Node.js, so tests
 * need neither a build nor a download.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { releaseDirName, releaseFileName } from "../../../host-client/src/userdata/release-name.js";

export const REPO = join(import.meta.dirname, "../../..");

/** A fake `systemctl`: logs each call to `$log`, keeps "active" in `$state/<unit>.active`. */
export function fakeSystemctl(log: string, state: string): string {
  return `#!/bin/sh
echo "systemctl $*" >>'${log}'
for last; do :; done
case "$1" in
  is-active) [ -e '${state}'/"$last".active ] && exit 0 || exit 3 ;;
  start|restart) touch '${state}'/"$last".active ;;
  stop) rm -f '${state}'/"$last".active ;;
  disable) [ "$2" = --now ] && rm -f '${state}'/"$last".active ;;
esac
exit 0
`;
}

/** Writes an unpacked fake release `router-agent-<version>-linux-x64/` below `parent`; returns its path. */
export async function fakeReleaseDir(parent: string, version: string): Promise<string> {
  const dir = join(parent, releaseDirName(version, "x64"));
  for (const d of ["bin", "lib", "systemd", "etc"]) await mkdir(join(dir, d), { recursive: true });
  await copyFile(join(REPO, "packaging/install.sh"), join(dir, "install.sh"));
  await chmod(join(dir, "install.sh"), 0o755);
  await copyFile(
    join(REPO, "packaging/systemd/router-agent.service"),
    join(dir, "systemd/router-agent.service"),
  );
  await copyFile(join(REPO, "packaging/agent.yaml"), join(dir, "etc/agent.yaml"));
  await writeFile(join(dir, "bin/node"), "#!/bin/sh\necho fake node\n", { mode: 0o755 });
  await writeFile(join(dir, "bin/routerctl"), "#!/bin/sh\necho fake routerctl\n", { mode: 0o755 });
  await writeFile(join(dir, "lib/router-agent.js"), `// router-agent ${version}\n`);
  await writeFile(
    join(dir, "release.env"),
    `VERSION=${version}\nARCH=x64\nNODE_VERSION=24.0.0\nCOMMIT=test\n`,
  );
  return dir;
}

/** Packs a fake release into `<outDir>/router-agent-<version>-linux-x64.tar.gz`; returns path and SHA-256. */
export async function fakeReleaseTarball(
  outDir: string,
  version: string,
): Promise<{ path: string; sha256: string; bytes: Buffer }> {
  const stage = join(outDir, `.stage-${version}`);
  await fakeReleaseDir(stage, version);
  const path = join(outDir, releaseFileName(version, "x64"));
  execFileSync("tar", ["-czf", path, "-C", stage, releaseDirName(version, "x64")]);
  const bytes = await readFile(path);
  return { path, sha256: createHash("sha256").update(bytes).digest("hex"), bytes };
}
