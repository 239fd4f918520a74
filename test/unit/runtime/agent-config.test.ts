import { describe, expect, it } from "vitest";
import {
  DEFAULTS,
  formatConfigErrors,
  parseAgentConfig,
} from "../../../agent/src/runtime/agent-config.js";

function errors(text: string): string {
  const r = parseAgentConfig(text);
  if (r.ok) throw new Error("expected errors");
  return formatConfigErrors(r.errors);
}

describe("parseAgentConfig", () => {
  it("gives the defaults for an empty file", () => {
    expect(parseAgentConfig("")).toEqual({
      ok: true,
      value: {
        stateDir: "/var/lib/router-agent",
        runtimeDir: "/run/router-agent",
        wanInterface: "eth0",
        logLevel: "info",
        driftIntervalMs: 60_000,
        listen: { unix: "/run/router-agent/agent.sock", tcp: [] },
        tokens: [],
        counters: { timeoutMs: DEFAULTS.countersTimeoutMs },
      },
    });
  });

  it("reads a full config", () => {
    const r = parseAgentConfig(`
state_dir: /srv/ra/
runtime_dir: /run/ra
wan_interface: ens4
log_level: debug
drift_interval: 5m
listen:
  unix: ""
  tcp:
    - address: 192.168.130.2
      port: 7443
      tls: { ca: /etc/ra/ca.pem, cert: /etc/ra/agent.pem, key: /etc/ra/agent-key.pem }
    - address: 127.0.0.1
      port: 7444
      auth: token
      insecure: true
tokens:
  - { name: host, scope: write, sha256: ${"a".repeat(64)} }
  - { name: viewer, scope: read, file: /etc/ra/viewer.token }
counters: { timeout: 500ms }
metrics: { port: 9100 }
`);
    expect(r).toEqual({
      ok: true,
      value: {
        stateDir: "/srv/ra",
        runtimeDir: "/run/ra",
        wanInterface: "ens4",
        logLevel: "debug",
        driftIntervalMs: 300_000,
        listen: {
          tcp: [
            {
              address: "192.168.130.2",
              port: 7443,
              auth: "mtls",
              insecure: false,
              tls: {
                ca: "/etc/ra/ca.pem",
                cert: "/etc/ra/agent.pem",
                key: "/etc/ra/agent-key.pem",
              },
            },
            { address: "127.0.0.1", port: 7444, auth: "token", insecure: true },
          ],
        },
        tokens: [
          { name: "host", scope: "write", sha256: "a".repeat(64) },
          { name: "viewer", scope: "read", file: "/etc/ra/viewer.token" },
        ],
        counters: { timeoutMs: 500 },
        metrics: { address: "127.0.0.1", port: 9100 },
      },
    });
  });

  const bad: [string, string][] = [
    ["state_dirr: /x", 'state_dirr: unknown field; did you mean "state_dir"?'],
    ["state_dir: relative/path", "state_dir: must be an absolute path"],
    [
      "log_level: loud",
      'log_level: "loud" is not one of trace, debug, info, warn, error, fatal, silent',
    ],
    [
      "drift_interval: soon",
      'drift_interval: expected a duration such as "500ms", "30s", "5m", "1h", or 0',
    ],
    [
      "wan_interface: a/b",
      "wan_interface: not a Linux interface name (1-15 bytes, no / or whitespace)",
    ],
    [
      "listen: { tcp: [ { address: 0.0.0.0, port: 7443 } ] }",
      "listen.tcp[0].tls: required (or set insecure: true to listen without TLS)",
    ],
    [
      "listen: { tcp: [ { address: 0.0.0.0, port: 7443, tls: { cert: /c, key: /k } } ] }",
      "listen.tcp[0].tls.ca: required for auth: mtls",
    ],
    [
      "listen: { tcp: [ { address: 0.0.0.0, port: 70000, insecure: true } ] }",
      "listen.tcp[0].port: 70000 is outside 0..65535",
    ],
    [
      "listen: { tcp: [ { address: 0.0.0.0, port: 1, auth: token, insecure: true } ] }",
      "listen.tcp[0].auth: token auth needs at least one entry in tokens",
    ],
    ["tokens: [ { name: a, scope: write } ]", "tokens[0]: needs exactly one of sha256 and file"],
    [
      "tokens: [ { name: a, scope: admin, sha256: x } ]",
      'tokens[0].scope: "admin" is not one of read, write\ntokens[0].sha256: expected 64 lower-case hex digits',
    ],
    ["a: [", "(yaml): "],
  ];
  for (const [text, message] of bad) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      if (message.endsWith(": ")) expect(errors(text)).toMatch(/^\(yaml\): /);
      else expect(errors(text)).toBe(message);
    });
  }
});
