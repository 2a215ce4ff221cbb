/**
 * Test helpers (not exported by the package): turn what a handler wrote into
 * the `ArtifactSource` a handler reads, without any storage.
 */
import { collectBytes, toByteStream, type ArtifactHandler, type ArtifactSource, type HandlerReadOptions, type WritableData } from "@lazyscribe/core/internal";

const decoder = new TextDecoder("utf-8");

/** An `ArtifactSource` that also counts how it was read. */
export interface TestSource extends ArtifactSource {
  readonly calls: { bytes: number; text: number; stream: number };
}

/**
 * A source over written data. Whole reads collect it (once, cached); a
 * `stream()` over streamed data hands that stream on without collecting it,
 * so it can be taken only once.
 */
export function sourceFrom(data: WritableData, fname = "artifact.bin"): TestSource {
  let whole: Promise<Uint8Array> | undefined;
  let streamTaken = false;
  const calls = { bytes: 0, text: 0, stream: 0 };
  const isWhole = typeof data === "string" || data instanceof Uint8Array;
  const bytes = (): Promise<Uint8Array> => {
    if (!whole) {
      if (streamTaken) return Promise.reject(new Error("test source: the stream was already taken"));
      whole = collectBytes(data);
    }
    return whole;
  };
  return {
    fname,
    calls,
    bytes: () => {
      calls.bytes++;
      return bytes();
    },
    text: async () => {
      calls.text++;
      return decoder.decode(await bytes());
    },
    stream: async () => {
      calls.stream++;
      if (isWhole) return toByteStream(data);
      if (whole) return toByteStream(await whole);
      if (streamTaken) throw new Error("test source: the stream was already taken");
      streamTaken = true;
      return toByteStream(data);
    },
  };
}

/** Reader options as core passes them: the caller's options plus the stored environment. */
export function readOptions(handler: { environment?(): Record<string, string> }, extra: Partial<HandlerReadOptions> = {}): HandlerReadOptions {
  return { environment: { ...(handler.environment?.() ?? {}) }, validate: true, ...extra };
}

/** Write `value` with `handler`, collect the bytes, and read them back. */
export async function roundTrip<T>(
  handler: ArtifactHandler<T>,
  value: T,
  writeOptions: Record<string, unknown> = {},
  extraReadOptions: Partial<HandlerReadOptions> = {},
): Promise<{ value: T; bytes: Uint8Array; text: string }> {
  const written = await handler.write(value, writeOptions);
  const bytes = await collectBytes(written);
  const source = sourceFrom(bytes, `artifact.${handler.suffix}`);
  const back = await handler.read(source, readOptions(handler, extraReadOptions));
  return { value: back, bytes, text: decoder.decode(bytes) };
}

/** The error `fn` throws (or rejects with); fails the test when it succeeds. */
export async function errorOf(fn: () => unknown): Promise<{ code?: string; message: string }> {
  try {
    await fn();
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error("expected an error");
}
