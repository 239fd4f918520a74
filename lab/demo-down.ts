/**
 * `make demo-down`: removes every lab a demo left behind. For each state file
 * in DEMO_STATE_DIR it asks a still-running demo to clean up (SIGTERM), then
 * kills whatever is left in the lab's namespaces, deletes them and the lab
 * directory, and removes the state file. Exits 1 if anything could not be
 * removed.
 */
import { readFileSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { waitFor } from "../test/lab/wait.js";
import { cleanupStale } from "../test/support/netns.js";
import { DEMO_STATE_DIR, type DemoState } from "./demo-state.js";

/** True if `pid` runs and is a demo (guards against a recycled pid). */
function alive(pid: number): boolean {
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("demo")) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function removeLab(file: string): Promise<void> {
  const state = JSON.parse(await readFile(file, "utf8")) as DemoState;
  if (!/^ra[0-9a-f]{6}$/.test(state.prefix))
    throw new Error(`${file}: unexpected prefix "${state.prefix}"`);
  if (state.pid !== process.pid && alive(state.pid)) {
    process.kill(state.pid, "SIGTERM");
    await waitFor(() => !alive(state.pid), {
      timeoutMs: 30_000,
      what: `demo pid ${state.pid} to exit`,
    }).catch(() => process.kill(state.pid, "SIGKILL"));
  }
  const removed = await cleanupStale(state.prefix);
  if (state.dir.includes(`router-agent-lab-${state.prefix}`))
    await rm(state.dir, { recursive: true, force: true });
  await rm(file, { force: true });
  console.log(
    `demo-down: removed lab ${state.prefix}${removed.length ? ` (${removed.length} namespaces)` : ""}`,
  );
}

let files: string[] = [];
try {
  files = (await readdir(DEMO_STATE_DIR)).filter((f) => f.endsWith(".json"));
} catch {
  // No state directory: nothing was ever started.
}
if (files.length === 0) console.log("demo-down: no demo lab is running");
let failed = 0;
for (const f of files) {
  try {
    await removeLab(join(DEMO_STATE_DIR, f));
  } catch (err) {
    failed++;
    console.error(`demo-down: ${f}: ${(err as Error).message}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
