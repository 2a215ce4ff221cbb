import { IntegrityError } from "../errors.js";
import type { ArtifactSource } from "../handlers/ArtifactHandler.js";
import type { HashFactory, IncrementalHash } from "../hashing/Sha256.js";
import type { ByteStream, StorageBackend } from "../storage/StorageBackend.js";
import { iterateStream } from "../storage/streams.js";

/** What a file must be: the recorded hash and size (either may be unknown). */
export interface Expectation {
  sha256?: string | undefined;
  size?: number | undefined;
}

const decoder = new TextDecoder("utf-8");

/**
 * An {@link ArtifactSource} over a stored file that checks size and SHA-256
 * against the manifest — whole reads before returning, streams at their end.
 */
export function verifiedSource(
  storage: StorageBackend,
  key: string,
  fname: string,
  expect: Expectation | null,
  hash: HashFactory,
): ArtifactSource {
  const bytes = async () => {
    const data = await storage.read(key);
    if (expect) {
      const h = hash();
      h.update(data);
      check(key, expect, data.byteLength, h);
    }
    return data;
  };
  return {
    fname,
    bytes,
    text: async () => decoder.decode(await bytes()),
    stream: async () => {
      const stream = await storage.readStream(key);
      return expect ? verifyingStream(stream, key, expect, hash) : stream;
    },
  };
}

/** Pass bytes through, hashing them; error the stream at its end on mismatch. */
export function verifyingStream(stream: ByteStream, key: string, expect: Expectation, hash: HashFactory): ByteStream {
  // A pull-through wrapper rather than pipeThrough(TransformStream): one
  // promise per chunk instead of a pipe, which matters at a GiB.
  const reader = stream.getReader();
  const h = hash({ streaming: true });
  let size = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { value, done } = await reader.read();
        if (done) {
          try {
            check(key, expect, size, h);
            controller.close();
          } catch (err) {
            controller.error(err);
          }
          return;
        }
        size += value.byteLength;
        if (expect.size !== undefined && size > expect.size) {
          const err = new IntegrityError(key, `file is larger than the recorded ${expect.size} bytes`);
          controller.error(err);
          await reader.cancel(err).catch(() => undefined);
          return;
        }
        h.update(value);
        controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** Hash bytes as they pass, reporting size and digest at the end. */
export function hashingStream(stream: ByteStream, hash: HashFactory): { stream: ByteStream; result: () => { size: number; sha256: string } } {
  const h = hash({ streaming: true });
  let size = 0;
  let digest: string | undefined;
  const out = stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        h.update(chunk);
        controller.enqueue(chunk);
      },
      flush() {
        digest = h.digestHex();
      },
    }),
  );
  return {
    stream: out,
    result: () => {
      if (digest === undefined) throw new Error("stream was not fully consumed");
      return { size, sha256: digest };
    },
  };
}

/**
 * Hash bytes as they pass, without web-stream machinery (cheaper per chunk
 * for big artifacts): an async iterable for `StorageBackend.write`.
 */
export function hashingIterable(
  source: ByteStream | AsyncIterable<Uint8Array>,
  hash: HashFactory,
): { chunks: AsyncIterable<Uint8Array>; result: () => { size: number; sha256: string } } {
  const h = hash({ streaming: true });
  let size = 0;
  let digest: string | undefined;
  async function* run(): AsyncGenerator<Uint8Array> {
    const it = source instanceof ReadableStream ? iterateStream(source) : source;
    for await (const chunk of it) {
      if (!(chunk instanceof Uint8Array)) throw new TypeError(`stream chunks must be Uint8Array, got ${typeof chunk}`);
      size += chunk.byteLength;
      h.update(chunk);
      yield chunk;
    }
    digest = h.digestHex();
  }
  return {
    chunks: run(),
    result: () => {
      if (digest === undefined) throw new Error("stream was not fully consumed");
      return { size, sha256: digest };
    },
  };
}

function check(key: string, expect: Expectation, size: number, h: IncrementalHash): void {
  if (expect.size !== undefined && size !== expect.size) {
    throw new IntegrityError(key, `size is ${size} bytes, but ${expect.size} were recorded`);
  }
  if (expect.sha256 !== undefined) {
    const actual = h.digestHex();
    if (actual !== expect.sha256) throw new IntegrityError(key, `sha256 is ${actual}, but ${expect.sha256} was recorded`);
  }
}
