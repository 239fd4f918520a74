/**
 * Helpers for tests of the generated userdata script: sample inputs and a
 * reader for the base64 blocks it embeds.
 */
import type { UserdataInput } from "../../../host-client/src/userdata/render-userdata.js";

export const B64_END = "__ROUTER_AGENT_B64_END__";

export const FAKE_PEM = {
  ca: "-----BEGIN CERTIFICATE-----\nTUFOQUdFTUVOVCBDQQ==\n-----END CERTIFICATE-----\n",
  cert: "-----BEGIN CERTIFICATE-----\nU0VSVkVSIENFUlQ=\n-----END CERTIFICATE-----\n",
  key: "-----BEGIN PRIVATE KEY-----\nU0VSVkVSIEtFWQ==\n-----END PRIVATE KEY-----\n",
};

export const SHA = "a".repeat(64);

/** A valid input fetching the release from a URL; override what a test needs. */
export function urlInput(over: Partial<UserdataInput> = {}): UserdataInput {
  return {
    release: {
      kind: "url",
      fileName: "router-agent-0.1.0-linux-x64.tar.gz",
      sha256: SHA,
      url: "http://192.168.130.1:8099/router-agent-0.1.0-linux-x64.tar.gz",
    },
    lanInterface: "auto",
    wanInterface: "eth0",
    caPem: FAKE_PEM.ca,
    serverCertPem: FAKE_PEM.cert,
    serverKeyPem: FAKE_PEM.key,
    ...over,
  };
}

/**
 * Every `write_file PATH MODE <<'END'` block of a script, decoded: what the
 * script would write, by path.
 */
export function embeddedFiles(script: string): Map<string, { mode: string; content: string }> {
  const out = new Map<string, { mode: string; content: string }>();
  const re = new RegExp(
    `^write_file '([^']+)' (\\d+) <<'${B64_END}'\\n([\\s\\S]*?)^${B64_END}$`,
    "gm",
  );
  for (const m of script.matchAll(re)) {
    const [, path, mode, body] = m as unknown as [string, string, string, string];
    out.set(path, {
      mode,
      content: Buffer.from(body.replace(/\n/g, ""), "base64").toString("utf8"),
    });
  }
  return out;
}
