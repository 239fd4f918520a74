import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FakeExec } from "../../../agent/src/runtime/fake-exec.js";
import { IpLinkReader, linkOpArgs, parseIpAddr } from "../../../agent/src/runtime/link-reader.js";

const captured = readFileSync(new URL("./fixtures/ip-addr.json", import.meta.url), "utf8");

describe("parseIpAddr", () => {
  it("parses captured `ip -j -d addr` output", () => {
    expect(parseIpAddr(captured)).toEqual([
      { ifname: "lo", mac: "", linkType: "loopback", up: true, addresses: ["127.0.0.1/8"] },
      {
        ifname: "ens8",
        mac: "60:be:b4:1e:19:64",
        linkType: "ether",
        kind: "veth",
        up: false,
        addresses: [],
      },
      {
        ifname: "ens7",
        mac: "60:be:b4:1e:19:63",
        linkType: "ether",
        kind: "veth",
        up: true,
        addresses: ["10.88.0.1/24"],
      },
      {
        ifname: "br0",
        mac: "02:42:ac:11:00:01",
        linkType: "ether",
        kind: "bridge",
        up: false,
        addresses: [],
      },
      { ifname: "tun0", mac: "", linkType: "none", kind: "tun", up: false, addresses: [] },
    ]);
  });

  it("rejects output that is not JSON", () => {
    expect(() => parseIpAddr("Device not found")).toThrow(/not JSON/);
  });

  it("rejects a link without a name", () => {
    expect(() => parseIpAddr('[{"ifindex": 1}]')).toThrow(/without ifname/);
  });
});

describe("IpLinkReader", () => {
  it("runs ip and parses its output", async () => {
    const exec = new FakeExec().on("ip", ["-j"], { stdout: captured });
    const links = await new IpLinkReader(exec).read();
    expect(links.map((l) => l.ifname)).toEqual(["lo", "ens8", "ens7", "br0", "tun0"]);
    expect(exec.dump()).toBe("$ ip -j -d addr show");
  });

  it("fails with ip's stderr", async () => {
    const exec = new FakeExec().on("ip", [], { code: 1, stderr: "Cannot open netlink socket" });
    await expect(new IpLinkReader(exec).read()).rejects.toThrow(/Cannot open netlink socket/);
  });

  it("turns link ops into ip arguments", () => {
    expect(linkOpArgs({ op: "addr-add", ifname: "ens7", address: "10.88.0.1/24" })).toEqual([
      "addr",
      "add",
      "10.88.0.1/24",
      "dev",
      "ens7",
    ]);
    expect(linkOpArgs({ op: "link-up", ifname: "ens7" })).toEqual([
      "link",
      "set",
      "dev",
      "ens7",
      "up",
    ]);
  });
});
