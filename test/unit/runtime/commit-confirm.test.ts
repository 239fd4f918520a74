import { describe, expect, it } from "vitest";
import { CommitConfirm } from "../../../agent/src/runtime/commit-confirm.js";
import { FakeClock } from "../../../agent/src/runtime/fake-clock.js";
import { FakeFileStore } from "../../../agent/src/runtime/fake-file-store.js";
import type { PendingCommit } from "../../../agent/src/runtime/router-runtime.js";

function setup() {
  const files = new FakeFileStore();
  const clock = new FakeClock(Date.parse("2025-01-01T00:00:00Z"));
  const expired: PendingCommit[] = [];
  const cc = new CommitConfirm({ files, stateDir: "/s", clock, onExpire: (p) => expired.push(p) });
  return { files, clock, expired, cc };
}

describe("CommitConfirm", () => {
  it("persists the pending commit and fires at the deadline", async () => {
    const { files, clock, expired, cc } = setup();
    const p = await cc.begin("c1", 60_000, 3);
    expect(p).toEqual({ commitId: "c1", deadline: "2025-01-01T00:01:00.000Z", rollbackTo: 3 });
    expect(JSON.parse((await files.read("/s/pending-commit.json")) as string)).toEqual(p);
    await clock.advance(59_999);
    expect(expired).toEqual([]);
    await clock.advance(1);
    expect(expired).toEqual([p]);
  });

  it("extend moves the deadline from now", async () => {
    const { clock, expired, cc } = setup();
    await cc.begin("c1", 60_000, 3);
    await clock.advance(50_000);
    const p = await cc.extend(30_000);
    expect(p.deadline).toBe("2025-01-01T00:01:20.000Z");
    await clock.advance(20_000);
    expect(expired).toEqual([]);
    await clock.advance(10_000);
    expect(expired.map((e) => e.deadline)).toEqual(["2025-01-01T00:01:20.000Z"]);
  });

  it("clear disarms the timer and removes the record", async () => {
    const { files, clock, expired, cc } = setup();
    await cc.begin("c1", 1_000, 3);
    await cc.clear();
    await clock.advance(5_000);
    expect(expired).toEqual([]);
    expect(await files.read("/s/pending-commit.json")).toBeUndefined();
    expect(cc.pending()).toBeUndefined();
    await expect(cc.extend(1)).rejects.toThrow(/no pending commit/);
  });

  it("load finds a commit left by a previous run without arming it", async () => {
    const { files, clock } = setup();
    const first = new CommitConfirm({ files, stateDir: "/s", clock, onExpire: () => {} });
    await first.begin("c9", 10_000, 7);
    first.disarm();
    const fired: PendingCommit[] = [];
    const second = new CommitConfirm({
      files,
      stateDir: "/s",
      clock,
      onExpire: (p) => fired.push(p),
    });
    expect(await second.load()).toEqual({
      commitId: "c9",
      deadline: "2025-01-01T00:00:10.000Z",
      rollbackTo: 7,
    });
    await clock.advance(60_000);
    expect(fired).toEqual([]);
  });

  it("treats a corrupt record as pending with an unknown target", async () => {
    const { files, clock } = setup();
    await files.write("/s/pending-commit.json", "{trunc");
    const cc = new CommitConfirm({ files, stateDir: "/s", clock, onExpire: () => {} });
    expect((await cc.load())?.rollbackTo).toBe(0);
  });
});
