import { describe, expect, it } from "vitest";
import { ExecError, formatCommand, RealExec, runChecked } from "../../../agent/src/runtime/exec.js";
import { FakeExec } from "../../../agent/src/runtime/fake-exec.js";

describe("RealExec", () => {
  const exec = new RealExec();

  it("passes stdin and collects stdout, stderr and the exit code", async () => {
    const r = await exec.run("sh", ["-c", "cat; echo oops >&2; exit 3"], { input: "hello" });
    expect(r).toEqual({ code: 3, stdout: "hello", stderr: "oops\n" });
  });

  it("gives stdin as a file that can be opened by path, like nft -f - does", async () => {
    const r = await exec.run("sh", ["-c", "cat /dev/stdin"], { input: "by path" });
    expect(r).toEqual({ code: 0, stdout: "by path", stderr: "" });
  });

  it("reports a missing program as an ExecError", async () => {
    await expect(exec.run("/nonexistent/prog", [])).rejects.toBeInstanceOf(ExecError);
  });

  it("kills a command that overruns its timeout", async () => {
    await expect(exec.run("sleep", ["5"], { timeoutMs: 50 })).rejects.toThrow(/timed out/);
  });

  it("runs behind a prefix", async () => {
    const prefixed = new RealExec({ prefix: ["env", "GREETING=hi"] });
    const r = await prefixed.run("sh", ["-c", 'printf "$GREETING"']);
    expect(r.stdout).toBe("hi");
  });

  it("runChecked keeps stderr on failure", async () => {
    const err = await runChecked(exec, "sh", ["-c", "echo bad thing >&2; exit 1"]).catch((e) => e);
    expect(err).toBeInstanceOf(ExecError);
    expect(err.stderr).toBe("bad thing\n");
    expect(err.code).toBe(1);
    expect(err.message).toBe('sh -c "echo bad thing >&2; exit 1": exited 1: bad thing');
  });
});

describe("FakeExec", () => {
  it("records calls, answers from the newest matching handler and dumps", async () => {
    const exec = new FakeExec()
      .on("nft", [], { stdout: "old" })
      .on("nft", ["-j", "list"], { stdout: "{}" });
    expect((await exec.run("nft", ["-j", "list", "tables"])).stdout).toBe("{}");
    expect((await exec.run("nft", ["-f", "-"], { input: "abc" })).stdout).toBe("old");
    expect((await exec.run("ip", ["link"])).code).toBe(0);
    expect(exec.dump()).toBe(
      ["$ nft -j list tables", "$ nft -f - <<stdin 3 bytes", "$ ip link"].join("\n"),
    );
    expect(exec.callsOf("nft")).toHaveLength(2);
  });

  it("formats arguments with spaces", () => {
    expect(formatCommand("sh", ["-c", "a b"])).toBe('sh -c "a b"');
  });
});
