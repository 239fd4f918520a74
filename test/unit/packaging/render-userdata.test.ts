import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { GUEST_PATHS, renderUserdata } from "../../../host-client/src/userdata/render-userdata.js";
import { B64_END, embeddedFiles, FAKE_PEM, SHA, urlInput } from "./userdata-script.js";

function render(...args: Parameters<typeof renderUserdata>): string {
  const r = renderUserdata(...args);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

/** `bash -n`: parses without running. Throws with bash's message on a syntax error. */
function bashParses(script: string): void {
  execFileSync("bash", ["-n"], { input: script, stdio: ["pipe", "pipe", "pipe"] });
}

const HOSTILE_YAML = `# $(reboot) \`reboot\` '; reboot; '
wan:
  interface: eth0
${B64_END}
EOF
'
reboot
lans: []
`;

describe("renderUserdata", () => {
  it("writes a bash script that parses, is strict, and pins the release's SHA-256", () => {
    const script = render(urlInput());
    bashParses(script);
    expect(script.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    expect(script).toContain("set -euo pipefail");
    expect(script).toContain(`RA_SHA256='${SHA}'`);
    expect(script).toContain(
      "RA_RELEASE_URL='http://192.168.130.1:8099/router-agent-0.1.0-linux-x64.tar.gz'",
    );
    expect(script).toMatch(
      /\[\[ "\$\{got\}" == "\$\{RA_SHA256\}" \]\] \|\| fail "SHA-256 mismatch/,
    );
    expect(script).toContain('echo "[router-agent-install] $*"');
    expect(script).toContain("x86_64|amd64) ;;");
  });

  it("embeds the TLS files and router.yaml as base64 with mode 0600, byte for byte", () => {
    const routerYaml = "wan:\n  interface: eth0\n";
    const files = embeddedFiles(render(urlInput({ routerYaml })));
    expect([...files.keys()]).toEqual([
      GUEST_PATHS.ca,
      GUEST_PATHS.serverCert,
      GUEST_PATHS.serverKey,
      GUEST_PATHS.routerYaml,
    ]);
    expect(files.get(GUEST_PATHS.ca)).toEqual({ mode: "0600", content: FAKE_PEM.ca });
    expect(files.get(GUEST_PATHS.serverKey)).toEqual({ mode: "0600", content: FAKE_PEM.key });
    expect(files.get(GUEST_PATHS.routerYaml)?.content).toBe(routerYaml);
  });

  it("writes agent.yaml only when one is given", () => {
    expect(embeddedFiles(render(urlInput())).has(GUEST_PATHS.agentYaml)).toBe(false);
    const agentYaml = "listen: 0.0.0.0:7443\n";
    expect(embeddedFiles(render(urlInput({ agentYaml }))).get(GUEST_PATHS.agentYaml)?.content).toBe(
      agentYaml,
    );
  });

  it("never lets a hostile router.yaml reach the shell: no $(...), no early heredoc end", () => {
    const script = render(urlInput({ routerYaml: HOSTILE_YAML }));
    bashParses(script);
    expect(script).not.toContain("$(reboot)");
    expect(script).not.toMatch(/^reboot$/m);
    expect(script).not.toMatch(/^EOF$/m);
    // The terminator only closes blocks the generator opened.
    const opened = script.match(new RegExp(`<<'${B64_END}'$`, "gm"))?.length ?? 0;
    const closed = script.match(new RegExp(`^${B64_END}$`, "gm"))?.length ?? 0;
    expect(closed).toBe(opened);
    expect(embeddedFiles(script).get(GUEST_PATHS.routerYaml)?.content).toBe(HOSTILE_YAML);
  });

  it("embeds the release itself, decoding to the same bytes", () => {
    const bytes = new Uint8Array(5000).map((_, i) => (i * 7919) % 256);
    const script = render(
      urlInput({
        release: {
          kind: "embed",
          fileName: "router-agent-0.1.0-linux-arm64.tar.gz",
          sha256: SHA,
          bytes,
        },
      }),
    );
    bashParses(script);
    expect(script).toContain("aarch64|arm64) ;;");
    expect(script).toContain("RA_RELEASE_URL=''");
    const m = new RegExp(
      `base64 -d >"\\$\\{tarball\\}" <<'${B64_END}'\\n([\\s\\S]*?)\\n${B64_END}\\n`,
    ).exec(script);
    expect(m).not.toBeNull();
    const body = (m?.[1] ?? "").split("\n");
    expect(body.every((l) => l.length <= 76)).toBe(true);
    expect(new Uint8Array(Buffer.from(body.join(""), "base64"))).toEqual(bytes);
  });

  it("collects every problem with the inputs, naming the flag", () => {
    const r = renderUserdata(
      urlInput({
        release: {
          kind: "url",
          fileName: "router-agent-0.1.0-linux-x64.tar.gz",
          sha256: "ABC",
          url: "http://host/x'$(reboot)",
        },
        lanInterface: "ens7; reboot",
        wanInterface: "",
        caPem: "not a pem",
        routerYaml: "  \n",
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path).sort()).toEqual(
      [
        "--ca",
        "--lan-interface",
        "--release-url",
        "--router-yaml",
        "--wan-interface",
        "release.sha256",
      ].sort(),
    );
  });

  it("refuses to embed a tarball over the limit, and a release name that is not one", () => {
    const big = renderUserdata(
      urlInput({
        release: {
          kind: "embed",
          fileName: "router-agent-0.1.0-linux-x64.tar.gz",
          sha256: SHA,
          bytes: new Uint8Array(2048),
        },
        maxEmbedBytes: 1024,
      }),
    );
    expect(big.ok ? [] : big.errors.map((e) => e.path)).toEqual(["--embed"]);
    const bad = renderUserdata(
      urlInput({
        release: { kind: "url", fileName: "evil.tar.gz", sha256: SHA, url: "http://h/evil.tar.gz" },
      }),
    );
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(["release"]);
  });

  it("is deterministic: the same inputs give the same script", () => {
    expect(render(urlInput({ routerYaml: "a: 1\n" }))).toBe(
      render(urlInput({ routerYaml: "a: 1\n" })),
    );
  });
});
