/**
 * The seam for files: the state directory, the dnsmasq files and
 * /proc/sys. Writes are atomic (temp file, fsync, rename, fsync of the
 * directory), so a crash leaves either the old or the new content, never a
 * torn file.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export interface WriteOptions {
  /** File mode for a new file; default 0o644. */
  mode?: number;
}

export interface FileStore {
  /** The file's content, or undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
  /**
   * Replaces the file atomically, creating parent directories. Fails with the
   * underlying error (ENOSPC, EACCES, ...) and leaves the old file intact.
   */
  write(path: string, content: string, opts?: WriteOptions): Promise<void>;
  /** Writes into an existing file without a rename: for /proc/sys and /sys. */
  writeInPlace(path: string, content: string): Promise<void>;
  /** Names of the entries in a directory, sorted; [] when it does not exist. */
  list(dir: string): Promise<string[]>;
  /** Removes a file; a missing file is not an error. */
  remove(path: string): Promise<void>;
  /** Removes a directory and everything below it; missing is not an error. */
  removeTree(dir: string): Promise<void>;
}

function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

/** The real file system. */
export class DiskFileStore implements FileStore {
  async read(path: string): Promise<string | undefined> {
    try {
      return await readFile(path, "utf8");
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw new Error(`read ${path}: ${(e as Error).message}`, { cause: e });
    }
  }

  async write(path: string, content: string, opts: WriteOptions = {}): Promise<void> {
    const dir = dirname(path);
    const temp = join(dir, `.${basename(path)}.${randomBytes(4).toString("hex")}.tmp`);
    try {
      await mkdir(dir, { recursive: true });
      const handle = await open(temp, "wx", opts.mode ?? 0o644);
      try {
        await handle.writeFile(content, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
      await syncDir(dir);
    } catch (e) {
      await unlink(temp).catch(() => {});
      throw new Error(`write ${path}: ${(e as Error).message}`, { cause: e });
    }
  }

  async writeInPlace(path: string, content: string): Promise<void> {
    try {
      await writeFile(path, content, { flag: "r+" });
    } catch (e) {
      throw new Error(`write ${path}: ${(e as Error).message}`, { cause: e });
    }
  }

  async list(dir: string): Promise<string[]> {
    try {
      return (await readdir(dir)).sort();
    } catch (e) {
      if (isNotFound(e)) return [];
      throw new Error(`list ${dir}: ${(e as Error).message}`, { cause: e });
    }
  }

  async remove(path: string): Promise<void> {
    try {
      await unlink(path);
    } catch (e) {
      if (isNotFound(e)) return;
      throw new Error(`remove ${path}: ${(e as Error).message}`, { cause: e });
    }
  }

  async removeTree(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Makes a rename durable: fsync the directory that holds the entry. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
