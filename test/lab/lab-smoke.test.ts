/**
 * The lab itself, without the agent: the topology carries packets, a
 * hand-written nft ruleset and a hand-run dnsmasq in the router namespace
 * give a client a lease, NAT and a blocked main network, and `down()` leaves
 * nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listNamespaces, namespacePids } from "../support/netns.js";
import { LAB_ADDR, Lab, parsePing } from "./lab.js";

const SMOKE_NFT = `
table inet ra_lab_smoke {
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname "ens7" ip daddr ${LAB_ADDR.mainNet} counter drop
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "eth0" ip saddr 10.88.0.0/24 masquerade
  }
}
`;

describe("router lab without the agent", () => {
  const lab = new Lab();

  beforeAll(async () => {
    await lab.up();
  });

  afterAll(async () => {
    await lab.down();
  });

  it("creates every namespace under its own prefix, and up() again changes nothing", async () => {
    const before = await lab.namespaces();
    expect(before.sort()).toEqual(
      ["host", "inet", "main", "router", "stranger", "sw1", "sw2"]
        .map((r) => lab.ns(r as never))
        .sort(),
    );
    await lab.up();
    expect((await lab.namespaces()).sort()).toEqual(before.sort());
  });

  it("routes from the host to the internet server (HTTP and DNS) and the main network", async () => {
    const r = await lab.fetch("host", `http://${LAB_ADDR.internetServer}/`);
    expect(r.ok).toBe(true);
    expect(r.body).toContain(`internet says hello to ${LAB_ADDR.internetGateway}`);
    expect(await lab.resolve("host", "www.example.test", LAB_ADDR.internetServer)).toEqual([
      LAB_ADDR.internetServer,
    ]);
    expect(await lab.ping("host", LAB_ADDR.mainHost)).toBe(true);
    expect(await lab.ping("router", LAB_ADDR.internetServer)).toBe(true);
  });

  it("forwards, masquerades and blocks with a hand-written ruleset; a client gets a DHCP lease", async () => {
    await lab.exec("router", "nft", ["-f", "-"], { input: SMOKE_NFT });
    await lab.exec("router", "sysctl", ["-q", "-w", "net.ipv4.ip_forward=1"]);
    await lab.exec("router", "ip", ["addr", "add", `${LAB_ADDR.lan1Router}/24`, "dev", "ens7"]);
    lab.spawn("router", {
      name: "smoke-dnsmasq",
      cmd: "dnsmasq",
      args: [
        "--keep-in-foreground",
        "--conf-file=/dev/null",
        "--no-hosts",
        "--interface=ens7",
        "--bind-interfaces",
        `--server=${LAB_ADDR.internetServer}`,
        "--no-resolv",
        "--dhcp-range=10.88.0.50,10.88.0.200,255.255.255.0,1h",
        `--dhcp-leasefile=${lab.path("smoke.leases")}`,
        `--pid-file=${lab.path("smoke-dnsmasq.pid")}`,
        "--log-facility=-",
      ],
      logFile: lab.path("smoke-dnsmasq.log"),
    });
    const client = await lab.addClient("pi");
    lab.startDhcp(client);
    const lease = await lab.waitForLease(client);
    expect(lease.ip).toMatch(/^10\.88\.0\.(\d+)$/);
    expect(lease.routers).toEqual([LAB_ADDR.lan1Router]);
    expect(lease.dns).toEqual([LAB_ADDR.lan1Router]);

    expect(await lab.resolve(client, "example.test", lease.dns[0] ?? "")).toEqual([
      LAB_ADDR.internetServer,
    ]);
    const r = await lab.fetch(client, `http://${LAB_ADDR.internetServer}/`);
    expect(r.body).toContain(`says hello to ${LAB_ADDR.wanRouter}`);
    expect((await lab.httpPeers("internet")).at(-1)).toBe(LAB_ADDR.wanRouter);

    const main = await lab.fetch(client, `http://${LAB_ADDR.mainHost}/`, 2);
    expect(main.ok).toBe(false);
    expect(await lab.httpPeers("mainnet")).toEqual([]);
    const counters = await lab.exec("router", "nft", [
      "list",
      "chain",
      "inet",
      "ra_lab_smoke",
      "forward",
    ]);
    expect(counters.stdout).toMatch(/counter packets [1-9]\d* bytes/);

    // Renewal reaches the server and keeps the address.
    const event = await lab.renew(client);
    expect(event).toContain(`ip=${lease.ip}`);

    const ping = lab.startPing(client, LAB_ADDR.internetServer, "smoke-ping");
    await new Promise((r) => setTimeout(r, 1_000));
    const report = await ping.stop();
    expect(report.answered).toBeGreaterThan(0);
  });

  it("parses busybox ping output and finds gaps", () => {
    const text = ["seq=0 ttl", "seq=1 ttl", "seq=3 ttl", "seq=5 ttl"].join("\n");
    expect(parsePing(text)).toEqual({ answered: 4, lost: [2, 4] });
  });
});

describe("lab teardown", () => {
  it("down() kills every process and deletes every namespace, and is idempotent", async () => {
    const lab = new Lab();
    try {
      await lab.up();
      const client = await lab.addClient("c1");
      lab.startDhcp(client);
      const all = [...(await lab.namespaces())];
      expect(all).toContain(client.ns);
      const pids = (await Promise.all(all.map(namespacePids))).flat();
      expect(pids.length).toBeGreaterThanOrEqual(4); // 2 responders, dnsmasq, udhcpc
      await lab.down();
      expect((await listNamespaces()).filter((n) => n.startsWith(`${lab.prefix}-`))).toEqual([]);
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
      await lab.down();
    } finally {
      await lab.down();
    }
  });
});
