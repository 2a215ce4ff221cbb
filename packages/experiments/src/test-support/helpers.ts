// Test-only helpers (not exported from the package).
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryStorage, type StorageBackend, type StorageStat, type WritableData, type WriteOptions } from "@lazyscribe/core/internal";
import { afterEach, expect } from "vitest";
import { Project } from "../Project.js";
import type { ProjectOptions } from "../options.js";
import { ProjectRegistry } from "../ProjectRegistry.js";

export const FIXTURE = join(__dirname, "../../../../fixtures/lazyscribe-2.2.1/project");

/** A settable clock; times are UTC `YYYY-MM-DDTHH:MM:SS`. */
export function fakeClock(start: string): { now: () => Date; set: (t: string) => void; tick: (s: number) => void } {
  let t = new Date(start + "Z").getTime();
  return {
    now: () => new Date(t),
    set: (s) => {
      t = new Date(s + "Z").getTime();
    },
    tick: (s) => {
      t += s * 1000;
    },
  };
}

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A fresh temp dir, removed after the test. */
export async function tempDir(prefix = "lz-exp-"): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** A temp copy of the Python 2.2.1 project fixture. */
export async function fixtureCopy(): Promise<string> {
  const d = await tempDir("lz-exp-fixture-");
  await cp(FIXTURE, d, { recursive: true });
  return d;
}

export const readText = (path: string): Promise<string> => readFile(path, "utf8");

export async function storageText(storage: StorageBackend, key: string): Promise<string> {
  return new TextDecoder().decode(await storage.read(key));
}

/** Match a lazyscribe error by code. */
export const code = (c: string) => expect.objectContaining({ code: c });

/** Open a project on a memory backend with an isolated registry and a fixed clock. */
export function openMem(storage: MemoryStorage, options: ProjectOptions = {}, key = "project.json"): Promise<Project> {
  return Project.open(key, {
    storage,
    author: "alice",
    registry: new ProjectRegistry(),
    now: fakeClock("2025-03-02T10:00:00").now,
    ...options,
  });
}

/** A backend wrapper that records every call (write order, options) and can inject failures. */
export class SpyStorage implements StorageBackend {
  readonly writes: Array<{ key: string; options: WriteOptions }> = [];
  readonly deletes: string[] = [];
  /** Codes of errors the inner backend threw on write (e.g. PRECONDITION_FAILED). */
  readonly writeErrors: string[] = [];
  failWrite?: (key: string, options: WriteOptions) => Error | undefined;

  constructor(readonly inner: StorageBackend = new MemoryStorage()) {}

  get description(): string {
    return this.inner.description;
  }
  read(key: string): Promise<Uint8Array> {
    return this.inner.read(key);
  }
  readStream(key: string): Promise<ReadableStream<Uint8Array>> {
    return this.inner.readStream(key);
  }
  async write(key: string, data: WritableData, options: WriteOptions = {}): Promise<StorageStat> {
    this.writes.push({ key, options });
    const err = this.failWrite?.(key, options);
    if (err) throw err;
    try {
      return await this.inner.write(key, data, options);
    } catch (e) {
      this.writeErrors.push(String((e as { code?: unknown }).code ?? e));
      throw e;
    }
  }
  stat(key: string): Promise<StorageStat | null> {
    return this.inner.stat(key);
  }
  list(prefix: string): Promise<string[]> {
    return this.inner.list(prefix);
  }
  async delete(key: string): Promise<void> {
    this.deletes.push(key);
    return this.inner.delete(key);
  }
  copy(from: string, to: string, options?: WriteOptions): Promise<StorageStat> {
    return this.inner.copy(from, to, options);
  }
}

/** A promise with its resolve / reject (Node 20 has no Promise.withResolvers). */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
