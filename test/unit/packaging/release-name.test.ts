import { describe, expect, it } from "vitest";
import {
  parseReleaseFileName,
  releaseDirName,
  releaseFileName,
} from "../../../host-client/src/userdata/release-name.js";

describe("release names", () => {
  it("round-trips version and architecture", () => {
    expect(releaseFileName("0.1.0", "x64")).toBe("router-agent-0.1.0-linux-x64.tar.gz");
    expect(releaseDirName("1.2.3-rc.1", "arm64")).toBe("router-agent-1.2.3-rc.1-linux-arm64");
    expect(parseReleaseFileName("router-agent-1.2.3-rc.1-linux-arm64.tar.gz")).toEqual({
      version: "1.2.3-rc.1",
      arch: "arm64",
    });
  });

  it("rejects other names, architectures and unsafe versions", () => {
    for (const name of [
      "router-agent-0.1.0-linux-x86_64.tar.gz",
      "router-agent-0.1.0-linux-x64.tgz",
      "router-agent-latest-linux-x64.tar.gz",
      "router-agent-0.1.0;reboot-linux-x64.tar.gz",
      "other-0.1.0-linux-x64.tar.gz",
    ]) {
      expect(parseReleaseFileName(name), name).toBeUndefined();
    }
    expect(() => releaseFileName("$(id)", "x64")).toThrow(/not a release version/);
  });
});
