/**
 * A small PKI for the agent API, made with the openssl CLI (no crypto of our
 * own): a CA, the agent's server certificate and client certificates whose
 * subject carries the scope as `OU=read` or `OU=write` (see
 * agent/src/api/auth.ts). Keys are EC P-256, written mode 0600.
 *
 * Layout of DIR: `ca.crt`, `ca.key`, `server.crt`, `server.key`, and
 * `<name>.crt`, `<name>.key` per client. Every function throws an Error with
 * openssl's stderr when openssl fails, and refuses to overwrite existing keys.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashToken, type Scope } from "../../agent/src/api/auth.js";

export interface PkiInitOptions {
  dir: string;
  /** IP SANs of the agent's certificate, e.g. ["192.168.130.2"]. */
  serverIps: string[];
  /** DNS SANs of the agent's certificate, e.g. ["router.lan"]. */
  serverDns: string[];
  /** Validity in days. Default 825 (server, clients) and 3650 (CA). */
  days?: number;
}

export interface IssuedCert {
  cert: string;
  key: string;
}

export interface PkiInitResult {
  ca: IssuedCert;
  server: IssuedCert;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DNS_NAME =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function openssl(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile("openssl", args, { timeout: 60_000 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const why =
        (err as NodeJS.ErrnoException).code === "ENOENT"
          ? "openssl is not installed"
          : stderr.trim();
      reject(new Error(`openssl ${args[0]} failed: ${why}`, { cause: err }));
    });
  });
}

function refuseExisting(...paths: string[]): void {
  for (const path of paths) {
    if (existsSync(path)) throw new Error(`${path} already exists; refusing to overwrite it`);
  }
}

async function withTemp<T>(fn: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = await mkdtemp(join(tmpdir(), "routerctl-pki-"));
  try {
    return await fn(tmp);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * `openssl req -new` (with `-x509` when `selfSigned`) making a new
 * unencrypted EC P-256 key at `key`, then mode 0600; `args` (output,
 * subject, ...) follow.
 */
async function reqWithNewKey(key: string, selfSigned: boolean, args: string[]): Promise<void> {
  await openssl([
    "req",
    ...(selfSigned ? ["-x509"] : []),
    "-new",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    key,
    ...args,
  ]);
  await chmod(key, 0o600);
}

/** A CSR for a new key `DIR/<base>.key`, then `DIR/<base>.crt` signed by DIR's CA with `extensions`. */
async function issue(
  dir: string,
  base: string,
  subject: string,
  extensions: string,
  days: number,
): Promise<IssuedCert> {
  const cert = join(dir, `${base}.crt`);
  const key = join(dir, `${base}.key`);
  refuseExisting(cert, key);
  await withTemp(async (tmp) => {
    const csr = join(tmp, "req.csr");
    const ext = join(tmp, "ext.cnf");
    await writeFile(ext, extensions);
    await reqWithNewKey(key, false, ["-out", csr, "-subj", subject]);
    await openssl([
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      join(dir, "ca.crt"),
      "-CAkey",
      join(dir, "ca.key"),
      "-set_serial",
      `0x${randomBytes(16).toString("hex")}`,
      "-days",
      String(days),
      "-sha256",
      "-extfile",
      ext,
      "-out",
      cert,
    ]);
  });
  return { cert, key };
}

/**
 * Creates DIR with a new CA and the agent's server certificate. Throws when
 * DIR already holds a CA, on a malformed SAN, or when openssl fails.
 */
export async function initPki(opts: PkiInitOptions): Promise<PkiInitResult> {
  for (const ip of opts.serverIps)
    if (!isIP(ip)) throw new Error(`--server-ip ${ip}: not an IP address`);
  for (const dns of opts.serverDns)
    if (!DNS_NAME.test(dns)) throw new Error(`--server-dns ${dns}: not a DNS name`);
  if (opts.serverIps.length + opts.serverDns.length === 0) {
    throw new Error("the server certificate needs at least one --server-ip or --server-dns");
  }
  const dir = opts.dir;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = { cert: join(dir, "ca.crt"), key: join(dir, "ca.key") };
  refuseExisting(ca.cert, ca.key);
  await reqWithNewKey(ca.key, true, [
    "-out",
    ca.cert,
    "-days",
    "3650",
    "-sha256",
    "-subj",
    "/CN=router-agent CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  const sans = [
    ...opts.serverIps.map((ip) => `IP:${ip}`),
    ...opts.serverDns.map((d) => `DNS:${d}`),
  ];
  const server = await issue(
    dir,
    "server",
    "/CN=router-agent",
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth",
      `subjectAltName=${sans.join(",")}`,
      "",
    ].join("\n"),
    opts.days ?? 825,
  );
  return { ca, server };
}

/**
 * A client certificate `DIR/<name>.crt` with subject `CN=<name>, OU=<scope>`,
 * signed by DIR's CA. Throws on a bad name, a missing CA or an existing file.
 */
export async function issueClientCert(opts: {
  dir: string;
  name: string;
  scope: Scope;
  days?: number;
}): Promise<IssuedCert> {
  if (!NAME.test(opts.name) || opts.name === "ca" || opts.name === "server") {
    throw new Error(`--name ${opts.name}: use 1-64 of [A-Za-z0-9._-], not "ca" or "server"`);
  }
  if (opts.scope !== "read" && opts.scope !== "write")
    throw new Error(`--scope must be read or write`);
  if (!existsSync(join(opts.dir, "ca.key"))) {
    throw new Error(`${join(opts.dir, "ca.key")} not found; run routerctl pki init first`);
  }
  return issue(
    opts.dir,
    opts.name,
    `/CN=${opts.name}/OU=${opts.scope}`,
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=clientAuth",
      "",
    ].join("\n"),
    opts.days ?? 825,
  );
}

/** A random bearer token and the sha256 the agent's config stores for it. */
export function generateToken(): { token: string; sha256: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, sha256: hashToken(token) };
}
