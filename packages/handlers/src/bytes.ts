import { ArtifactLogError, type ArtifactHandler, type ArtifactSource, type ByteStream, type HandlerReadOptions, type WritableData } from "@lazyscribe/core/internal";

/** What the `bytes` handler writes: whole bytes, or a stream of bytes (never buffered). */
export type BytesValue =
  | Uint8Array
  | ArrayBuffer
  | ArrayBufferView
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>;

/** What the `bytes` handler reads: whole bytes, or a stream with `{ stream: true }`. */
export type BytesResult = Uint8Array | ByteStream;

/**
 * Reader options of the `bytes` handler.
 *
 * @example
 * const stream = await repo.loadArtifact("weights", { stream: true } satisfies BytesReadOptions);
 */
export interface BytesReadOptions {
  /** Return a `ReadableStream<Uint8Array>` instead of the whole `Uint8Array` (default false). */
  stream?: boolean;
}

/**
 * Raw bytes (file suffix `bin`). Writes a `Uint8Array` (a Node `Buffer` is
 * one), an `ArrayBuffer` or any typed array / `DataView`, a web
 * `ReadableStream<Uint8Array>`, or an `AsyncIterable<Uint8Array>` such as a
 * Node `fs.ReadStream` — streams are passed through chunk by chunk, never
 * collected, so any size is written in constant memory.
 *
 * Reads a `Uint8Array` by default; with the reader option `stream: true` it
 * returns a `ReadableStream<Uint8Array>` instead, read in constant memory
 * (integrity is checked when the stream ends).
 *
 * @example
 * await repo.logArtifact("weights", fs.createReadStream("model.bin"), { handler: "bytes" });
 * await repo.save();
 * const whole = await repo.loadArtifact("weights");                    // Uint8Array
 * const stream = await repo.loadArtifact("weights", { stream: true }); // ReadableStream<Uint8Array>
 * await stream.pipeTo(Writable.toWeb(fs.createWriteStream("copy.bin")));
 */
export const bytesHandler: ArtifactHandler<BytesValue> = Object.freeze({
  alias: "bytes",
  writeOptions: [],
  readOptions: ["stream"],
  suffix: "bin",
  binary: true,
  accepts(value: unknown): boolean {
    return toWritable(value) !== null;
  },
  write(value: BytesValue): WritableData {
    const data = toWritable(value);
    if (data === null) {
      throw new ArtifactLogError(
        `the bytes handler writes a Uint8Array, Buffer, ArrayBuffer, typed array, ReadableStream<Uint8Array> or AsyncIterable<Uint8Array>, not ${describe(value)}`,
      );
    }
    return data;
  },
  async read(source: ArtifactSource, options: HandlerReadOptions): Promise<BytesResult> {
    return options?.stream === true ? source.stream() : source.bytes();
  },
});

function toWritable(value: unknown): WritableData | null {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ReadableStream) return value as ReadableStream<Uint8Array>;
  if (typeof value === "object" && value !== null && typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === "function") {
    return checkedChunks(value as AsyncIterable<unknown>);
  }
  return null;
}

/** Pass chunks through one at a time, refusing anything but bytes (a stream with setEncoding() yields strings). */
async function* checkedChunks(source: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    if (chunk instanceof Uint8Array) yield chunk;
    else if (chunk instanceof ArrayBuffer) yield new Uint8Array(chunk);
    else if (ArrayBuffer.isView(chunk)) yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    else {
      throw new ArtifactLogError(
        `the bytes handler got a ${describe(chunk)} chunk from the stream; only bytes can be written (did the stream have an encoding set?)`,
      );
    }
  }
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return (v as object).constructor?.name ? `a ${(v as object).constructor.name}` : "an object";
  return `a ${typeof v}`;
}
