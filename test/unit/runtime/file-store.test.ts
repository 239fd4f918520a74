import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeFileStore } from "../../../agent/src/runtime/fake-file-store.js";
import { DiskFileStore, type FileStore } from "../../../agent/src/runtime/file-store.js";

const stores: [string, () => Promise<{ store: FileStore; root: string }>][] = [
  [
    "DiskFileStore",
    async () => ({ store: new DiskFileStore(), root: await mkdtemp(join(tmpdir(), "ra-fs-")) }),
  ],
  ["FakeFileStore", async () => ({ store: new FakeFileStore(), root: "/fake" })],
];

for (const [name, make] of stores) {
  describe(name, () => {
    let store: FileStore;
    let root: string;
    beforeEach(async () => {
      ({ store, root } = await make());
    });
    afterEach(async () => {
      if (name === "DiskFileStore") await rm(root, { recursive: true, force: true });
    });

    it("writes, reads, lists and removes", async () => {
      expect(await store.read(`${root}/a/b.txt`)).toBeUndefined();
      await store.write(`${root}/a/b.txt`, "one");
      await store.write(`${root}/a/b.txt`, "two");
      await store.write(`${root}/a/c/d.txt`, "three");
      expect(await store.read(`${root}/a/b.txt`)).toBe("two");
      expect(await store.list(`${root}/a`)).toEqual(["b.txt", "c"]);
      expect(await store.list(`${root}/missing`)).toEqual([]);
      await store.remove(`${root}/a/b.txt`);
      await store.remove(`${root}/a/b.txt`);
      expect(await store.read(`${root}/a/b.txt`)).toBeUndefined();
      await store.removeTree(`${root}/a`);
      expect(await store.list(root)).toEqual([]);
    });

    it("refuses to write in place into a file that does not exist", async () => {
      await expect(store.writeInPlace(`${root}/nope`, "1")).rejects.toThrow(/nope/);
    });
  });
}

describe("DiskFileStore atomic write", () => {
  it("leaves no temp files and applies the mode", async () => {
    const root = await mkdtemp(join(tmpdir(), "ra-fs-"));
    try {
      const store = new DiskFileStore();
      await store.write(`${root}/secret.json`, "{}", { mode: 0o600 });
      expect(await readdir(root)).toEqual(["secret.json"]);
      expect((await stat(`${root}/secret.json`)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("FakeFileStore", () => {
  it("dumps every file sorted, and fails injected writes once", async () => {
    const store = new FakeFileStore({ "/b": "B" });
    await store.write("/a", "A", { mode: 0o600 });
    expect(store.dump()).toBe("== /a (600)\nA\n== /b (644)\nB");
    store.failWrites.add("/a");
    await expect(store.write("/a", "X")).rejects.toThrow(/injected/);
    await store.write("/a", "Y");
    expect(await store.read("/a")).toBe("Y");
  });
});
