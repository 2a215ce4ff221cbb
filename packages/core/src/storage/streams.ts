import type { ByteStream, WritableData } from "./StorageBackend.js";

const encoder = new TextEncoder();

/** Turn any writable data into a byte stream. */
export function toByteStream(data: WritableData): ByteStream {
  if (data instanceof ReadableStream) return data;
  if (typeof data === "string" || data instanceof Uint8Array) {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    return new ReadableStream<Uint8Array>({
      start(controller) {
        if (bytes.byteLength > 0) controller.enqueue(bytes);
        controller.close();
      },
    });
  }
  const iterator = data[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

/** Iterate a byte stream chunk by chunk. */
export async function* iterateStream(stream: ByteStream): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Collect whole data into one Uint8Array. */
export async function collectBytes(data: WritableData): Promise<Uint8Array> {
  if (data instanceof Uint8Array) return data;
  if (typeof data === "string") return encoder.encode(data);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const source = data instanceof ReadableStream ? iterateStream(data) : data;
  for await (const chunk of source) {
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  return concatBytes(chunks, total);
}

/** Join chunks into one array (`total` is their summed length); one chunk is returned as is. */
export function concatBytes(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
