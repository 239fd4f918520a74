import { describe, expect, it } from "vitest";
import { FakeFileStore } from "../../../agent/src/runtime/fake-file-store.js";
import { RevisionStore } from "../../../agent/src/runtime/revision-store.js";
import { seedSpec } from "../../support/runtime-specs.js";

function entry(n: number) {
  return {
    hash: `h${n}`,
    generation: n,
    appliedAt: new Date(n * 1000).toISOString(),
    actor: "test",
    reason: `r${n}`,
    spec: seedSpec(),
  };
}

describe("RevisionStore", () => {
  it("numbers revisions, keeps the newest N and survives a reload", async () => {
    const files = new FakeFileStore();
    const store = new RevisionStore(files, "/state", 3);
    await store.load();
    for (let i = 1; i <= 5; i++) await store.append(entry(i));
    expect(store.history().map((r) => r.revision)).toEqual([5, 4, 3]);
    expect(await files.list("/state/revisions")).toEqual([
      "00000003.json",
      "00000004.json",
      "00000005.json",
    ]);
    await store.markGood(store.get(4) as never);

    const again = new RevisionStore(files, "/state", 3);
    expect(await again.load()).toEqual([]);
    expect(again.history().map((r) => r.hash)).toEqual(["h5", "h4", "h3"]);
    expect(again.lastGood()?.revision).toBe(4);
    expect((await again.append(entry(6))).revision).toBe(6);
  });

  it("keeps last-good reachable after its revision file is pruned", async () => {
    const files = new FakeFileStore();
    const store = new RevisionStore(files, "/state", 2);
    const first = await store.append(entry(1));
    await store.markGood(first);
    await store.append(entry(2));
    await store.append(entry(3));
    expect(store.history().map((r) => r.revision)).toEqual([3, 2]);
    expect(store.get(1)?.hash).toBe("h1");
    // Numbering never reuses a number, even when only last-good remembers it.
    const fresh = new RevisionStore(
      new FakeFileStore({ "/s/last-good.json": JSON.stringify({ ...entry(9), revision: 9 }) }),
      "/s",
    );
    await fresh.load();
    expect((await fresh.append(entry(10))).revision).toBe(10);
  });

  it("skips malformed files with a warning", async () => {
    const files = new FakeFileStore({
      "/state/revisions/00000001.json": "{not json",
      "/state/last-good.json": '{"revision": "x"}',
    });
    const store = new RevisionStore(files, "/state");
    expect(await store.load()).toEqual([
      "/state/revisions/00000001.json: not a revision, skipped",
      "/state/last-good.json: not a revision, ignored",
    ]);
    expect(store.history()).toEqual([]);
    expect(store.lastGood()).toBeUndefined();
  });

  it("writes revisions privately (mode 0600)", async () => {
    const files = new FakeFileStore();
    const store = new RevisionStore(files, "/state");
    await store.append(entry(1));
    expect(files.dump()).toMatch(/^== \/state\/revisions\/00000001.json \(600\)/);
  });
});
