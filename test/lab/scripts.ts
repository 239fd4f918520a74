/**
 * Small programs the lab writes into its directory and runs inside its
 * namespaces: an HTTP responder that logs who connected, and the udhcpc
 * event script that configures a client and records its lease.
 */

/**
 * `node responder.mjs LABEL ADDRESS PORT LOGFILE`: answers every HTTP request
 * with "LABEL says hello to PEER" and appends "PEER METHOD URL" to LOGFILE,
 * so a test can see which source address a connection arrived from.
 */
export const RESPONDER_JS = `import { appendFileSync } from "node:fs";
import { createServer } from "node:http";
const [label, address, port, log] = process.argv.slice(2);
const server = createServer((req, res) => {
  const peer = String(req.socket.remoteAddress ?? "?").replace(/^::ffff:/, "");
  appendFileSync(log, peer + " " + req.method + " " + req.url + "\\n");
  res.setHeader("content-type", "text/plain");
  res.end(label + " says hello to " + peer + "\\n");
});
server.listen(Number(port), address, () => console.log(label + " listening on " + address + ":" + port));
process.on("SIGTERM", () => process.exit(0));
`;

/**
 * The udhcpc event script for a client whose files live in `dir`. It logs
 * every event to `dir/events.log` ("EVENT ip=... router=... dns=..."), sets
 * the address and default route on bound/renew, and writes the current
 * lease as shell-style `key=value` lines to `dir/lease.env` (replaced
 * atomically). It never touches /etc/resolv.conf: tests resolve against the
 * server named in the lease.
 */
export function udhcpcScript(dir: string): string {
  return `#!/bin/sh
# udhcpc hook for a router-lab client (written by test/lab/scripts.ts)
dir='${dir}'
echo "$1 ip=$ip subnet=$subnet router=$router dns=$dns domain=$domain lease=$lease serverid=$serverid" >> "$dir/events.log"
case "$1" in
  deconfig)
    ip -4 addr flush dev "$interface"
    ip link set "$interface" up
    rm -f "$dir/lease.env"
    ;;
  bound|renew)
    if ! ip -4 -o addr show dev "$interface" | grep -q " inet $ip/"; then
      ip -4 addr flush dev "$interface"
      ip addr add "$ip/$subnet" dev "$interface"
    fi
    if [ -n "$router" ]; then
      set -- $router
      ip route replace default via "$1" dev "$interface"
    fi
    {
      echo "ip=$ip"
      echo "subnet=$subnet"
      echo "router=$router"
      echo "dns=$dns"
      echo "domain=$domain"
      echo "lease=$lease"
      echo "serverid=$serverid"
    } > "$dir/lease.env.tmp"
    mv "$dir/lease.env.tmp" "$dir/lease.env"
    ;;
esac
exit 0
`;
}

/** Parses `lease.env` written by `udhcpcScript`. */
export function parseLeaseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}
