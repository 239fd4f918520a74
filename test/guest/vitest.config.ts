import { defineConfig } from "vitest/config";

/**
 * `make e2e-guest`: the first-boot test in a real systemd guest. Kept out of
 * `make test` (its files end in `.guest.ts`, not `.test.ts`): it needs the
 * release tarball, debootstrap and systemd-nspawn, and takes minutes.
 */
export default defineConfig({
  test: {
    include: ["test/guest/**/*.guest.ts"],
    testTimeout: 300_000,
    // beforeAll may debootstrap the rootfs on a cold cache.
    hookTimeout: 900_000,
    fileParallelism: false,
    reporters: ["default", "json"],
    outputFile: { json: "test-results/e2e-guest.json" },
  },
});
