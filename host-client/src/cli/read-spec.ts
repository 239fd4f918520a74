/**
 * Reads the router.yaml a command was given with `-f`: a file, or stdin for
 * `-`. Shared by `apply` (remote) and `validate`/`render` (offline), which
 * differ only in the error they report an unreadable file with.
 */
import { readFile } from "node:fs/promises";

/**
 * The text of `file` (UTF-8), or all of stdin when `file` is `-`. When it
 * cannot be read, throws what `fail` makes of the message
 * `cannot read FILE: CODE` (the errno code, else the error's message) and the
 * original error as cause.
 */
export async function readSpecText(
  file: string,
  fail: (message: string, cause: unknown) => Error,
): Promise<string> {
  try {
    if (file === "-") {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    }
    return await readFile(file, "utf8");
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw fail(`cannot read ${file}: ${why}`, err);
  }
}
