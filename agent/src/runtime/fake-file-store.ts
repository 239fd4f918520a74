/**
 * An in-memory `FileStore` for tests. Directories exist implicitly while a
 * file lives below them. `dump()` prints every file with its content, sorted
 * by path, so tests can compare whole trees.
 */
import type { FileStore, WriteOptions } from "./file-store.js";

interface FakeFile {
  content: string;
  mode: number;
}

export class FakeFileStore implements FileStore {
  private readonly files = new Map<string, FakeFile>();
  /** Paths whose next `write`/`writeInPlace` fails, for failure injection. */
  readonly failWrites = new Set<string>();
  /** Every write, in order: the path and whether it was atomic. */
  readonly writes: { path: string; atomic: boolean }[] = [];

  constructor(initial: Record<string, string> = {}) {
    for (const [path, content] of Object.entries(initial)) {
      this.files.set(path, { content, mode: 0o644 });
    }
  }

  async read(path: string): Promise<string | undefined> {
    return this.files.get(path)?.content;
  }

  async write(path: string, content: string, opts: WriteOptions = {}): Promise<void> {
    this.maybeFail(path);
    this.writes.push({ path, atomic: true });
    this.files.set(path, { content, mode: opts.mode ?? 0o644 });
  }

  async writeInPlace(path: string, content: string): Promise<void> {
    this.maybeFail(path);
    if (!this.files.has(path)) throw new Error(`write ${path}: ENOENT: no such file`);
    this.writes.push({ path, atomic: false });
    const old = this.files.get(path) as FakeFile;
    this.files.set(path, { ...old, content });
  }

  async list(dir: string): Promise<string[]> {
    const prefix = dir.endsWith("/") ? dir : `${dir}/`;
    const names = new Set<string>();
    for (const path of this.files.keys()) {
      if (path.startsWith(prefix)) names.add(path.slice(prefix.length).split("/")[0] as string);
    }
    return [...names].sort();
  }

  async remove(path: string): Promise<void> {
    this.files.delete(path);
  }

  async removeTree(dir: string): Promise<void> {
    const prefix = dir.endsWith("/") ? dir : `${dir}/`;
    for (const path of [...this.files.keys()]) {
      if (path === dir || path.startsWith(prefix)) this.files.delete(path);
    }
  }

  /** Every path, sorted. */
  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  /** Every file under `root` (default: all) as `== path (mode)` then its content. */
  dump(root = "/"): string {
    return this.paths()
      .filter((p) => p.startsWith(root))
      .map((p) => {
        const f = this.files.get(p) as FakeFile;
        return `== ${p} (${f.mode.toString(8)})\n${f.content}`;
      })
      .join("\n");
  }

  private maybeFail(path: string): void {
    if (this.failWrites.delete(path)) {
      throw new Error(`write ${path}: EIO: injected failure`);
    }
  }
}
