import { ArtifactLogError, PreconditionFailedError, SaveError, isLazyscribeError } from "../errors.js";
import type { ArtifactHandler } from "../handlers/ArtifactHandler.js";
import type { HashFactory } from "../hashing/Sha256.js";
import type { ByteStream, StorageBackend, WritableData } from "../storage/StorageBackend.js";
import type { ArtifactRecord } from "./ArtifactRecord.js";
import { hashingIterable } from "./verifiedSource.js";

/** How to write one artifact file (see {@link writeArtifactFile}). */
export interface ArtifactFileWrite {
  storage: StorageBackend;
  /** Its record: `fname` may be renamed; `sha256` and `size` are filled in. */
  record: ArtifactRecord;
  /** Storage key of a file name. */
  keyFor(fname: string): string;
  /** The content, produced afresh for every attempt. */
  content(): Promise<WritableData | ByteStream>;
  /** Can `content()` run again after a failed attempt (false for a one-shot stream)? */
  replayable: boolean;
  /** For generated names: the `attempt`-th alternative name; absent for names the user chose. */
  rename?: (attempt: number) => string;
  hash: HashFactory;
}

/**
 * Write an artifact file the crash-safe way: created exclusively (never
 * overwriting), hashed while written. When another writer took a generated
 * name in the same second, the next free name is tried; a name the user chose
 * fails with {@link SaveError} instead.
 */
export async function writeArtifactFile(w: ArtifactFileWrite): Promise<void> {
  const r = w.record;
  for (let attempt = 1; ; attempt++) {
    const key = w.keyFor(r.fname);
    let size: number;
    let sha256: string;
    let stored: number;
    try {
      const data = await w.content();
      if (typeof data === "string" || data instanceof Uint8Array) {
        const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
        const h = w.hash();
        h.update(bytes);
        [size, sha256] = [bytes.byteLength, h.digestHex()];
        stored = (await w.storage.write(key, bytes, { ifNoneMatch: "*" })).size;
      } else {
        const hashed = hashingIterable(data, w.hash);
        stored = (await w.storage.write(key, hashed.chunks, { ifNoneMatch: "*" })).size;
        ({ size, sha256 } = hashed.result());
      }
    } catch (err) {
      const exists = err instanceof PreconditionFailedError || isLazyscribeError(err, "PRECONDITION_FAILED");
      if (exists && w.rename && w.replayable && attempt < 100) {
        r.fname = w.rename(attempt);
        continue;
      }
      if (exists) {
        throw new SaveError(`cannot save "${r.name}": a file ${key} already exists and is never overwritten; log it with another fname`);
      }
      throw err;
    }
    if (stored !== size) throw new SaveError(`writing ${key} stored ${stored} bytes, expected ${size}`);
    r.sha256 = sha256;
    r.size = size;
    return;
  }
}

/** Run a handler's writer, turning a foreign failure into {@link ArtifactLogError}. */
export async function handlerOutput(handler: ArtifactHandler, value: unknown, options: Record<string, unknown>, what: string): Promise<WritableData> {
  try {
    return await handler.write(value as never, options);
  } catch (err) {
    if (isLazyscribeError(err)) throw err;
    throw new ArtifactLogError(`handler "${handler.alias}" could not write ${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}

/** Run a handler's `prepare` at log time (if it has one), turning a foreign failure into {@link ArtifactLogError}. */
export function preparedValue(handler: ArtifactHandler, value: unknown, options: Record<string, unknown>, what: string): unknown {
  if (!handler.prepare) return value;
  try {
    return handler.prepare(value, options);
  } catch (err) {
    if (isLazyscribeError(err)) throw err;
    throw new ArtifactLogError(`handler "${handler.alias}" cannot write ${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}

/**
 * Run a handler's writer before any file of a save is written, so a value the
 * handler refuses fails the save with nothing written: {@link SaveError}
 * (code `SAVE_FAILED`) naming the item, the handler's error as `cause`.
 * Returns a `content()` for {@link writeArtifactFile} that hands out the
 * prepared bytes (again on a retry) or, for streams, runs the writer afresh.
 * One-shot values (streams) are not run ahead.
 */
export async function preparedOutput(
  handler: ArtifactHandler,
  value: unknown,
  options: Record<string, unknown>,
  what: string,
): Promise<() => Promise<WritableData>> {
  const run = async (): Promise<WritableData> => {
    try {
      return await handlerOutput(handler, value, options, what);
    } catch (err) {
      if (isLazyscribeError(err, "SAVE_FAILED")) throw err;
      const message = (err as Error)?.message ?? String(err);
      throw new SaveError(`cannot save ${what}: ${message}; nothing was written`, { cause: (err as Error)?.cause ?? err });
    }
  };
  if (isOneShot(value)) return run;
  let first: WritableData | undefined = await run();
  return async () => {
    if (typeof first === "string" || first instanceof Uint8Array) return first;
    const out = first ?? (await run());
    first = undefined;
    return out;
  };
}

/** A value that can only be read once (a stream). */
export function isOneShot(value: unknown): boolean {
  return value instanceof ReadableStream || (typeof value === "object" && value !== null && Symbol.asyncIterator in value);
}
