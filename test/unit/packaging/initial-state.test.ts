import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { FakeFileStore } from "../../../agent/src/runtime/fake-file-store.js";
import { applyInitialState } from "../../../agent/src/runtime/initial-state.js";
import { createLogger } from "../../../agent/src/runtime/logger.js";
import type {
  ApplyOutcome,
  ApplyRequest,
  Revision,
  RouterRuntime,
} from "../../../agent/src/runtime/router-runtime.js";

const PATH = "/etc/router-agent/router.yaml";
const GOOD = `wan:
  interface: eth0
lans:
  - name: lan2
    interface: ens7
    address: 10.88.0.1/24
    dhcp:
      ranges: [{ start: 10.88.0.50, end: 10.88.0.200 }]
`;

/** A runtime that records applies; `history` is what it says it has. */
function fakeRuntime(history: Revision[] = []) {
  const applies: ApplyRequest[] = [];
  const runtime = {
    history: () => history,
    apply: async (req: ApplyRequest): Promise<ApplyOutcome> => {
      applies.push(req);
      return {
        kind: "applied",
        revision: {
          revision: 1,
          hash: "h",
          generation: 0,
          appliedAt: "",
          actor: req.actor,
          reason: req.reason,
          spec: {} as never,
        },
        plan: { nftDiff: "", dnsmasqDiff: "", linkOps: [], dnsmasqAction: "none", noop: false },
        timings: {},
      };
    },
  } as unknown as RouterRuntime;
  return { runtime, applies };
}

function quietLog() {
  const lines: string[] = [];
  const log = createLogger({
    journald: false,
    destination: new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  });
  return { log, lines };
}

describe("applyInitialState", () => {
  it("applies the file as an untrusted plain object on a fresh state directory", async () => {
    const { runtime, applies } = fakeRuntime();
    const { log, lines } = quietLog();
    const r = await applyInitialState(runtime, PATH, new FakeFileStore({ [PATH]: GOOD }), log);
    expect(r.kind).toBe("done");
    expect(applies).toHaveLength(1);
    expect(applies[0]?.spec).toEqual({
      wan: { interface: "eth0" },
      lans: [
        {
          name: "lan2",
          interface: "ens7",
          address: "10.88.0.1/24",
          dhcp: { ranges: [{ start: "10.88.0.50", end: "10.88.0.200" }] },
        },
      ],
    });
    expect(applies[0]).toMatchObject({
      dryRun: false,
      actor: "agent-start",
      reason: `initial state from ${PATH}`,
    });
    expect(lines.join("")).toContain('"msg":"initial state applied"');
  });

  it("never touches a runtime that already has revisions: last-good wins", async () => {
    const { runtime, applies } = fakeRuntime([{ revision: 1 } as Revision]);
    const r = await applyInitialState(
      runtime,
      PATH,
      new FakeFileStore({ [PATH]: GOOD }),
      quietLog().log,
    );
    expect(r).toEqual({ kind: "skipped", reason: "has-history" });
    expect(applies).toHaveLength(0);
  });

  it("waits for the host when there is no file", async () => {
    const { runtime, applies } = fakeRuntime();
    expect(await applyInitialState(runtime, PATH, new FakeFileStore(), quietLog().log)).toEqual({
      kind: "absent",
    });
    expect(applies).toHaveLength(0);
  });

  it("logs every field error of an invalid file and applies nothing", async () => {
    const { runtime, applies } = fakeRuntime();
    const { log, lines } = quietLog();
    const bad = "wan:\n  interface: eth0\nlans:\n  - name: LAN!\n    address: nope\n";
    const r = await applyInitialState(runtime, PATH, new FakeFileStore({ [PATH]: bad }), log);
    expect(r.kind === "done" && r.outcome.kind).toBe("invalid");
    expect(applies).toHaveLength(0);
    expect(lines.join("")).toContain("lans[0].name");
  });
});
