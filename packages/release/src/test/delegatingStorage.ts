import type { MemoryStorage, StorageBackend } from "@lazyscribe/core/internal";

/** A storage that forwards to `inner`, except for the methods given in `overrides`. */
export function delegatingStorage(inner: MemoryStorage, overrides: Partial<StorageBackend>): StorageBackend {
  return {
    description: inner.description,
    read: (k) => inner.read(k),
    readStream: (k) => inner.readStream(k),
    write: (k, d, o) => inner.write(k, d, o),
    stat: (k) => inner.stat(k),
    list: (p) => inner.list(p),
    delete: (k) => inner.delete(k),
    copy: (a, b, o) => inner.copy(a, b, o),
    ...overrides,
  };
}
