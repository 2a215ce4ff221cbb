import { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { collectBytes, iterateStream } from "@lazyscribe/core/internal";
import { describe, expect, it } from "vitest";
import { bytesHandler, type BytesResult } from "./bytes.js";
import { readOptions, roundTrip, sourceFrom, errorOf } from "./testSource.js";

const MiB = 1024 * 1024;

/**
 * A real `gc()`, so the memory check measures what is retained rather than
 * how lazily V8 collects the 64 KiB chunks already passed on.
 */
const collectGarbage: () => void = (() => {
  try {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as unknown;
    if (typeof gc === "function") return gc as () => void;
  } catch {
    // fall through: measure without forcing collections
  }
  return () => {};
})();

/** `total` bytes in fresh `chunk`-sized pieces, made only when pulled; byte i of piece k is (k + i) & 0xff. */
async function* lazyChunks(total: number, chunk: number): AsyncGenerator<Uint8Array> {
  for (let k = 0, sent = 0; sent < total; k++, sent += chunk) {
    const piece = new Uint8Array(Math.min(chunk, total - sent));
    for (let i = 0; i < piece.length; i += 4096) piece[i] = (k + i) & 0xff;
    yield piece;
  }
}

describe("bytes handler", () => {
  it("has alias, suffix and is binary", () => {
    expect([bytesHandler.alias, bytesHandler.suffix, bytesHandler.binary]).toEqual(["bytes", "bin", true]);
  });

  it("round-trips a Uint8Array (whole read by default)", async () => {
    const data = new Uint8Array([0, 1, 2, 255, 128]);
    const { value } = await roundTrip(bytesHandler, data);
    expect(value).toBeInstanceOf(Uint8Array);
    expect(value).toEqual(data);
  });

  it("writes Buffer, ArrayBuffer, typed arrays and DataView as their bytes", async () => {
    const ab = new Uint8Array([1, 2, 3, 4]).buffer;
    const inputs = [Buffer.from([1, 2, 3, 4]), ab, new Uint16Array(ab), new DataView(ab), new Uint8Array([9, 1, 2, 3, 4, 9]).subarray(1, 5)];
    for (const v of inputs) {
      const written = await bytesHandler.write(v, {});
      expect([...(await collectBytes(written))]).toEqual([1, 2, 3, 4]);
    }
  });

  it("passes a ReadableStream through untouched", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([1, 2]));
        c.enqueue(new Uint8Array([3]));
        c.close();
      },
    });
    const written = await bytesHandler.write(stream, {});
    expect(written).toBe(stream);
    expect(await collectBytes(written)).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("writes a Node Readable (AsyncIterable of Buffers) chunk by chunk", async () => {
    const readable = Readable.from([Buffer.from("ab"), Buffer.from("cd")]);
    const { value } = await roundTrip(bytesHandler, readable);
    expect(new TextDecoder().decode(value as Uint8Array)).toBe("abcd");
  });

  it("refuses string chunks (a stream with an encoding) with ArtifactLogError", async () => {
    const readable = Readable.from(["text chunk"], { objectMode: true });
    const written = await bytesHandler.write(readable, {});
    const err = await errorOf(() => collectBytes(written));
    expect(err.code).toBe("ARTIFACT_LOG");
    expect(err.message).toMatch(/string chunk/);
  });

  it("refuses values that are not bytes with ArtifactLogError", async () => {
    for (const v of ["text", 12, null, { a: 1 }, [1, 2, 3]]) {
      const err = await errorOf(() => bytesHandler.write(v as never, {}));
      expect(err.code).toBe("ARTIFACT_LOG");
      expect(bytesHandler.accepts!(v)).toBe(false);
    }
    expect(bytesHandler.accepts!(new Uint8Array(1))).toBe(true);
    expect(bytesHandler.accepts!(Readable.from([]))).toBe(true);
  });

  it("reads a stream with { stream: true }", async () => {
    const source = sourceFrom(new Uint8Array([5, 6, 7]), "x.bin");
    const out = await bytesHandler.read(source, readOptions(bytesHandler, { stream: true }));
    expect(out).toBeInstanceOf(ReadableStream);
    expect(await collectBytes(out as BytesResult)).toEqual(new Uint8Array([5, 6, 7]));
    expect(source.calls).toEqual({ bytes: 0, text: 0, stream: 1 });
  });

  it("streams 64 MiB from write to read({ stream: true }) in constant memory", async () => {
    const total = 64 * MiB;
    const chunk = 64 * 1024;
    collectGarbage();
    const before = process.memoryUsage().rss;
    let peak = before;

    const written = await bytesHandler.write(lazyChunks(total, chunk), {});
    expect(written).not.toBeInstanceOf(Uint8Array);
    const source = sourceFrom(written, "big.bin");
    const out = await bytesHandler.read(source, readOptions(bytesHandler, { stream: true }));
    expect(out).toBeInstanceOf(ReadableStream);

    let received = 0;
    let k = 0;
    for await (const piece of iterateStream(out as ReadableStream<Uint8Array>)) {
      expect(piece[0]).toBe(k & 0xff);
      received += piece.byteLength;
      k++;
      if (k % 128 === 0) collectGarbage(); // every 8 MiB
      if (k % 16 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(received).toBe(total);
    expect(source.calls.bytes).toBe(0);
    expect(source.calls.text).toBe(0);
    if (process.env.LAZYSCRIBE_DEBUG_MEMORY) console.log(`rss growth ${((peak - before) / MiB).toFixed(1)} MiB`);
    expect(peak - before).toBeLessThan(48 * MiB);
  });
});
