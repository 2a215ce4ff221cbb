import { PreconditionFailedError, StorageNotFoundError } from "../errors.js";
import { collectBytes, toByteStream } from "./streams.js";
import type { ByteStream, StorageBackend, StorageStat, WritableData, WriteOptions } from "./StorageBackend.js";
import { normalizeKey } from "./keys.js";

interface MemoryObject {
  data: Uint8Array;
  stat: StorageStat;
}

/**
 * In-memory backend: for tests, browsers and `memory://` locations. Writes are
 * atomic because the object is swapped in one step after the data is complete.
 *
 * @example
 * const repo = await Repository.open("repository.json", { storage: new MemoryStorage() });
 */
export class MemoryStorage implements StorageBackend {
  private readonly objects = new Map<string, MemoryObject>();
  private generation = 0;

  constructor(readonly description = "memory://") {}

  async read(key: string): Promise<Uint8Array> {
    return this.get(key).data.slice();
  }

  async readStream(key: string): Promise<ByteStream> {
    return toByteStream(this.get(key).data.slice());
  }

  async write(key: string, data: WritableData, options: WriteOptions = {}): Promise<StorageStat> {
    const k = normalizeKey(key);
    // Own the bytes: a Uint8Array (or a stream's only chunk) stays the caller's
    // buffer, and mutating it later must not change what was stored.
    const collected = await collectBytes(data);
    const bytes = typeof data === "string" ? collected : collected.slice();
    // Check preconditions after the data is complete, right before the swap,
    // exactly as a real backend does at commit time.
    this.check(k, options);
    const stat: StorageStat = { size: bytes.byteLength, etag: `m${++this.generation}`, mtime: new Date() };
    this.objects.set(k, { data: bytes, stat });
    return copyStat(stat);
  }

  async stat(key: string): Promise<StorageStat | null> {
    const o = this.objects.get(normalizeKey(key));
    return o ? copyStat(o.stat) : null;
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix));
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(normalizeKey(key));
  }

  async copy(from: string, to: string, options: WriteOptions = {}): Promise<StorageStat> {
    return this.write(to, this.get(from).data, options);
  }

  private get(key: string): MemoryObject {
    const o = this.objects.get(normalizeKey(key));
    if (!o) throw new StorageNotFoundError(key, `"${key}" does not exist in ${this.description}`);
    return o;
  }

  private check(key: string, options: WriteOptions): void {
    const current = this.objects.get(key);
    if (options.ifNoneMatch === "*" && current) throw new PreconditionFailedError(key);
    if (options.ifMatch !== undefined && current?.stat.etag !== options.ifMatch) throw new PreconditionFailedError(key);
  }
}

function copyStat(stat: StorageStat): StorageStat {
  return { size: stat.size, etag: stat.etag, mtime: new Date(stat.mtime.getTime()) };
}

const namedMemoryStores = new Map<string, MemoryStorage>();

/** The shared store behind a `memory://<name>` location (one per name per process). */
export function memoryStorageFor(name: string): MemoryStorage {
  let s = namedMemoryStores.get(name);
  if (!s) {
    s = new MemoryStorage(`memory://${name}`);
    namedMemoryStores.set(name, s);
  }
  return s;
}
