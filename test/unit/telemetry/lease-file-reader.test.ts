import { describe, expect, it } from "vitest";
import { readLeaseFile } from "../../../agent/src/runtime/lease-file-reader.js";

const L1 = "1796356031 aa:bb:cc:00:00:01 10.88.0.57 a *\n";
const L2 = "1796356031 aa:bb:cc:00:00:02 10.88.0.58 b *\n";

/** A reader that returns the given texts in turn (the last one forever); counts reads. */
function script(...texts: Array<string | Error>) {
  let i = 0;
  const reads = { n: 0 };
  const read = async () => {
    reads.n++;
    const t = texts[Math.min(i++, texts.length - 1)] as string | Error;
    if (t instanceof Error) throw t;
    return t;
  };
  return { read, reads };
}

describe("readLeaseFile", () => {
  it("accepts two identical complete reads", async () => {
    const { read, reads } = script(L1 + L2);
    const r = await readLeaseFile("/x", { read, pauseMs: 0 });
    expect(r.kind).toBe("stable");
    if (r.kind === "stable")
      expect(r.parse.leases.map((l) => l.ip)).toEqual(["10.88.0.57", "10.88.0.58"]);
    expect(reads.n).toBe(2);
  });

  it("retries through a truncation and a torn last line", async () => {
    const { read, reads } = script("", L1 + L2.slice(0, 20), L1 + L2, L1 + L2);
    const r = await readLeaseFile("/x", { read, pauseMs: 0 });
    expect(r.kind).toBe("stable");
    if (r.kind === "stable") expect(r.parse.leases).toHaveLength(2);
    expect(reads.n).toBe(4);
  });

  it("gives up as unstable when no two reads agree", async () => {
    let n = 0;
    const read = async () => `${n++} aa:bb:cc:00:00:01 10.88.0.57 a *\n`;
    expect(await readLeaseFile("/x", { read, pauseMs: 0, attempts: 4 })).toEqual({
      kind: "unstable",
      attempts: 4,
    });
  });

  it("never trusts a torn read even if it repeats", async () => {
    const { read } = script(L1.slice(0, 10));
    expect((await readLeaseFile("/x", { read, pauseMs: 0, attempts: 3 })).kind).toBe("unstable");
  });

  it("reports a missing file as missing and rethrows other errors with the path", async () => {
    const enoent = Object.assign(new Error("nope"), { code: "ENOENT" });
    expect(await readLeaseFile("/x", { read: script(enoent).read, pauseMs: 0 })).toEqual({
      kind: "missing",
    });
    const eacces = Object.assign(new Error("denied"), { code: "EACCES" });
    await expect(
      readLeaseFile("/x/leases", { read: script(eacces).read, pauseMs: 0 }),
    ).rejects.toThrow(/\/x\/leases/);
  });
});
