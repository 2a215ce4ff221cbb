import { iterateStream, type WritableData } from "@lazyscribe/core/internal";

const encoder = new TextEncoder();

/**
 * Reads any writable data in pieces of a chosen size, so a large stream is
 * uploaded part by part with about one part in memory.
 */
export class ByteReader {
  private readonly source: AsyncIterator<Uint8Array>;
  // Bytes read from the source but not handed out yet, in order.
  private readonly waiting: Uint8Array[] = [];
  private done = false;

  constructor(data: WritableData) {
    if (typeof data === "string") this.source = once(encoder.encode(data));
    else if (data instanceof Uint8Array) this.source = once(data);
    else if (data instanceof ReadableStream) this.source = iterateStream(data);
    else this.source = data[Symbol.asyncIterator]();
  }

  /**
   * Fill `target` from the start with the next bytes (fewer only at the end);
   * returns how many. Reusing one target keeps memory flat for long streams.
   */
  async fill(target: Uint8Array): Promise<number> {
    let filled = 0;
    while (filled < target.byteLength) {
      let chunk = await this.nextChunk();
      if (!chunk) break;
      const room = target.byteLength - filled;
      if (chunk.byteLength > room) {
        this.waiting.unshift(chunk.subarray(room));
        chunk = chunk.subarray(0, room);
      }
      target.set(chunk, filled);
      filled += chunk.byteLength;
    }
    return filled;
  }

  /**
   * True when the source has nothing left. May read the next chunk ahead
   * (kept whole, handed out by the next `fill`).
   */
  async atEnd(): Promise<boolean> {
    for (;;) {
      if (this.waiting.length > 0) return false;
      const chunk = await this.nextChunk();
      if (!chunk) return true;
      if (chunk.byteLength > 0) {
        this.waiting.push(chunk);
        return false;
      }
    }
  }

  /** The next chunk: one put back first, else the source's next; undefined at the end. */
  private async nextChunk(): Promise<Uint8Array | undefined> {
    const waiting = this.waiting.shift();
    if (waiting || this.done) return waiting;
    const r = await this.source.next();
    if (r.done) {
      this.done = true;
      return undefined;
    }
    return r.value;
  }

  /** Stop reading the source early (after a failure). */
  async close(): Promise<void> {
    await this.source.return?.();
  }
}

async function* onceGen(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function once(bytes: Uint8Array): AsyncIterator<Uint8Array> {
  return onceGen(bytes);
}
