/**
 * Tells "nobody listens" from "TLS refused us" when gRPC only says UNAVAILABLE
 * ("Failed to connect"): with TLS 1.3 the agent checks the client certificate
 * after the client considers the handshake done, and grpc-js then reports a
 * bare connection failure. This probe repeats the handshake with Node's TLS
 * and waits briefly for the agent's alert (e.g. "unknown ca", "certificate
 * required"). Never throws; resolves undefined when it learns nothing.
 */
import { isIP } from "node:net";
import { connect } from "node:tls";

export interface ProbeTarget {
  host: string;
  port: number;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  serverName?: string;
}

/** `host:port` / `[v6]:port` split, or undefined for unix and odd targets. */
export function splitTarget(target: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:/]+)):(\d+)$/.exec(target);
  if (!m) return undefined;
  return { host: (m[1] ?? m[2]) as string, port: Number(m[3]) };
}

/** Why TLS failed, if a handshake reveals it within `waitMs`. */
export function probeTls(t: ProbeTarget, waitMs = 1500): Promise<string | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (why: string | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(why);
    };
    const name = t.serverName ?? t.host;
    const socket = connect({
      host: t.host,
      port: t.port,
      ...(t.ca ? { ca: t.ca } : {}),
      ...(t.cert ? { cert: t.cert } : {}),
      ...(t.key ? { key: t.key } : {}),
      ...(isIP(name) ? {} : { servername: name }),
      ...(t.serverName ? { checkServerIdentity: () => undefined } : {}),
      ALPNProtocols: ["h2"],
    });
    const timer = setTimeout(() => finish(undefined), waitMs * 2);
    socket.on("secureConnect", () => {
      // Read, so that an alert sent after the handshake surfaces as an error.
      socket.resume();
      // Give the agent time to reject our certificate after the handshake.
      setTimeout(() => finish(undefined), waitMs);
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ECONNREFUSED" || err.code === "EHOSTUNREACH" || err.code === "ETIMEDOUT") {
        finish(undefined);
      } else {
        finish(err.message);
      }
    });
    socket.on("close", () =>
      finish(
        socket.authorized
          ? "the agent closed the connection right after the TLS handshake: it does not accept this client certificate (or none)"
          : undefined,
      ),
    );
  });
}
