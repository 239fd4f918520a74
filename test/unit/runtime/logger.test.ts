import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, withPriority } from "../../../agent/src/runtime/logger.js";

function memory() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe("createLogger", () => {
  it("writes JSON lines with level names and the component of a child", () => {
    const { lines, stream } = memory();
    const log = createLogger({ level: "info", destination: stream, journald: false });
    log.child({ component: "nft" }).warn({ table: "router_agent" }, "drift");
    log.debug("hidden");
    expect(lines).toHaveLength(1);
    const rec = JSON.parse(lines[0] as string);
    expect(rec).toMatchObject({
      level: "warn",
      component: "nft",
      table: "router_agent",
      msg: "drift",
    });
    expect(typeof rec.time).toBe("string");
  });

  it("prefixes a journald priority when asked", () => {
    const { lines, stream } = memory();
    const log = createLogger({ level: "info", destination: stream, journald: true });
    log.error("boom");
    log.info("fine");
    expect(lines[0]).toMatch(/^<3>\{"level":"error"/);
    expect(lines[1]).toMatch(/^<6>\{"level":"info"/);
    expect(withPriority('{"level":"warn"}')).toBe('<4>{"level":"warn"}');
  });
});
