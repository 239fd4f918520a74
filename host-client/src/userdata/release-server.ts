/**
 * A tiny static HTTP server for release tarballs (`routerctl serve-release`),
 * so a guest's userdata can fetch the release from the Slicer host over the
 * bridge instead of carrying it.
 *
 * It serves only regular files that sit directly in one directory, by plain
 * names (`[A-Za-z0-9._-]`, not starting with a dot): no paths, no listings of
 * anything else, GET and HEAD only. Integrity does not rest on it: the
 * userdata pins and checks the SHA-256 of what it downloads.
 */
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

export interface ReleaseServerOptions {
  /** The directory whose files are served. */
  dir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Called with one line per request. */
  log?: (line: string) => void;
}

export interface ReleaseServer {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  server: Server;
  close(): Promise<void>;
}

const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The regular files of `dir` that the server would serve, sorted. */
export async function servableFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  const out: string[] = [];
  for (const name of names.sort()) {
    if (!SAFE_NAME.test(name)) continue;
    const st = await stat(join(dir, name)).catch(() => undefined);
    if (st?.isFile()) out.push(name);
  }
  return out;
}

async function handle(dir: string, req: IncomingMessage, res: ServerResponse): Promise<number> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD" }).end();
    return 405;
  }
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  if (path === "/") {
    const body = `${(await servableFiles(dir)).join("\n")}\n`;
    res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(req.method === "HEAD" ? undefined : body);
    return 200;
  }
  const name = path.slice(1);
  const st = SAFE_NAME.test(name) ? await stat(join(dir, name)).catch(() => undefined) : undefined;
  if (!st?.isFile()) {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
    return 404;
  }
  res.writeHead(200, {
    "Content-Type": name.endsWith(".sha256") ? "text/plain" : "application/octet-stream",
    "Content-Length": st.size,
  });
  if (req.method === "HEAD") {
    res.end();
    return 200;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(join(dir, name));
    stream.on("error", () => {
      res.destroy();
      resolve();
    });
    res.on("close", () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
  return 200;
}

/** Starts serving `opts.dir`; rejects when the address cannot be bound. */
export function startReleaseServer(opts: ReleaseServerOptions): Promise<ReleaseServer> {
  const server = createServer((req, res) => {
    handle(opts.dir, req, res)
      .then((status) => {
        opts.log?.(`${req.socket.remoteAddress ?? "?"} ${req.method} ${req.url} ${status}`);
      })
      .catch((err: unknown) => {
        opts.log?.(`${req.method} ${req.url}: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      const addr = server.address() as AddressInfo;
      const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
      resolve({
        url: `http://${host}:${addr.port}`,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
