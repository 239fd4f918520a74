/**
 * Certificates for TLS tests, made with `routerctl pki` (openssl) in a temp
 * dir: a CA with a server cert for 127.0.0.1/localhost and write/read
 * clients, plus a second, unrelated CA with its own "write" client.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initPki, issueClientCert } from "../../../host-client/src/pki.js";

export interface PemPair {
  cert: Buffer;
  key: Buffer;
  certPath: string;
  keyPath: string;
}

export interface PkiFixture {
  dir: string;
  caPath: string;
  ca: Buffer;
  server: PemPair;
  writer: PemPair;
  reader: PemPair;
  /** Signed by another CA. */
  stranger: PemPair;
  strangerCaPath: string;
  cleanup(): Promise<void>;
}

function pair(paths: { cert: string; key: string }): PemPair {
  return {
    cert: readFileSync(paths.cert),
    key: readFileSync(paths.key),
    certPath: paths.cert,
    keyPath: paths.key,
  };
}

export async function makePki(): Promise<PkiFixture> {
  const dir = await mkdtemp(join(tmpdir(), "ra-pki-"));
  try {
    const main = join(dir, "main");
    const other = join(dir, "other");
    const { ca, server } = await initPki({
      dir: main,
      serverIps: ["127.0.0.1"],
      serverDns: ["localhost"],
    });
    const writer = await issueClientCert({ dir: main, name: "ops", scope: "write" });
    const reader = await issueClientCert({ dir: main, name: "viewer", scope: "read" });
    const otherPki = await initPki({ dir: other, serverIps: ["127.0.0.1"], serverDns: [] });
    const stranger = await issueClientCert({ dir: other, name: "ops", scope: "write" });
    return {
      dir,
      caPath: ca.cert,
      ca: readFileSync(ca.cert),
      server: pair(server),
      writer: pair(writer),
      reader: pair(reader),
      stranger: pair(stranger),
      strangerCaPath: otherPki.ca.cert,
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
