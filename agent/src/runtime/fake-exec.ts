/**
 * A scripted `Exec` for tests: records every call and answers from handlers
 * the test registers. Unanswered calls succeed with empty output, so a test
 * only scripts what matters to it.
 */
import { type Exec, type ExecOptions, type ExecResult, formatCommand } from "./exec.js";

export interface ExecCall {
  cmd: string;
  args: string[];
  input?: string;
}

/**
 * Answers a call, or returns undefined to let an earlier-registered handler
 * (or the default success) answer. Throwing makes `run` reject.
 */
export type ExecHandler = (
  call: ExecCall,
) =>
  | ExecResult
  | Partial<ExecResult>
  | undefined
  | Promise<ExecResult | Partial<ExecResult> | undefined>;

export class FakeExec implements Exec {
  readonly calls: ExecCall[] = [];
  private readonly handlers: ExecHandler[] = [];

  /** Adds a handler; the most recently added handler is asked first. */
  handle(handler: ExecHandler): this {
    this.handlers.unshift(handler);
    return this;
  }

  /**
   * Answers calls of `cmd` whose arguments start with `argsPrefix` with a
   * fixed result (or a function of the call).
   */
  on(
    cmd: string,
    argsPrefix: string[],
    answer: Partial<ExecResult> | ((call: ExecCall) => Partial<ExecResult>),
  ): this {
    return this.handle((call) => {
      if (call.cmd !== cmd || !startsWith(call.args, argsPrefix)) return undefined;
      return typeof answer === "function" ? answer(call) : answer;
    });
  }

  async run(cmd: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const call: ExecCall = { cmd, args: [...args] };
    if (opts.input !== undefined) call.input = opts.input;
    this.calls.push(call);
    for (const handler of this.handlers) {
      const answer = await handler(call);
      if (answer !== undefined) return { code: 0, stdout: "", stderr: "", ...answer };
    }
    return { code: 0, stdout: "", stderr: "" };
  }

  /** Calls whose command is `cmd` (and, if given, whose args start with `argsPrefix`). */
  callsOf(cmd: string, argsPrefix: string[] = []): ExecCall[] {
    return this.calls.filter((c) => c.cmd === cmd && startsWith(c.args, argsPrefix));
  }

  clear(): void {
    this.calls.length = 0;
  }

  /** One line per call: `$ cmd args` plus the size of its stdin, if any. */
  dump(): string {
    return this.calls
      .map((c) => {
        const stdin = c.input === undefined ? "" : ` <<stdin ${Buffer.byteLength(c.input)} bytes`;
        return `$ ${formatCommand(c.cmd, c.args)}${stdin}`;
      })
      .join("\n");
  }
}

function startsWith(args: string[], prefix: string[]): boolean {
  return prefix.every((p, i) => args[i] === p);
}
