/**
 * A hand-written progress bar on stderr, shown only when stderr is a
 * terminal (never when piped or redirected).
 */
import { humanSize } from "./output.js";

/** Files above this size show a progress bar (on a TTY). */
export const PROGRESS_THRESHOLD = 8 * 1024 * 1024;

const WIDTH = 24;
const INTERVAL_MS = 100;

interface TtyStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

/** A bar for `total` bytes (or an unknown total: bytes and speed only). */
export class ProgressBar {
  private done = 0;
  private lastDraw = 0;
  private readonly started = Date.now();
  private drawn = false;

  constructor(
    private readonly label: string,
    private total: number | null,
    private readonly stream: TtyStream = process.stderr,
  ) {}

  /** Grow the expected total (several files copied one after another). */
  setTotal(total: number | null): void {
    this.total = total;
  }

  advance(bytes: number): void {
    this.done += bytes;
    const now = Date.now();
    if (now - this.lastDraw >= INTERVAL_MS) {
      this.lastDraw = now;
      this.draw();
    }
  }

  private draw(): void {
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    const speed = `${humanSize(Math.round(this.done / seconds))}/s`;
    let line: string;
    if (this.total && this.total > 0) {
      const ratio = Math.min(1, this.done / this.total);
      const full = Math.round(ratio * WIDTH);
      const pct = `${Math.floor(ratio * 100)}%`.padStart(4);
      line = `${this.label} [${"#".repeat(full)}${"-".repeat(WIDTH - full)}] ${pct}  ${humanSize(this.done)} / ${humanSize(this.total)}  ${speed}`;
    } else {
      line = `${this.label} ${humanSize(this.done)}  ${speed}`;
    }
    // A pty without a size reports 0 columns: assume a normal terminal then.
    const columns = this.stream.columns && this.stream.columns >= 20 ? this.stream.columns : 80;
    if (line.length > columns - 1) line = line.slice(0, Math.max(0, columns - 1));
    this.stream.write(`\r${line}\u001b[K`);
    this.drawn = true;
  }

  /** Erase the bar. */
  finish(): void {
    if (this.drawn) this.stream.write("\r\u001b[K");
    this.drawn = false;
  }
}

/** A progress bar when stderr is a TTY, otherwise `null`. */
export function progressBar(label: string, total: number | null, stream: TtyStream = process.stderr): ProgressBar | null {
  return stream.isTTY === true ? new ProgressBar(label, total, stream) : null;
}

/** Pass a byte stream through, reporting each chunk to `bar`. */
export function countBytes(stream: ReadableStream<Uint8Array>, bar: ProgressBar): ReadableStream<Uint8Array> {
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bar.advance(chunk.byteLength);
        controller.enqueue(chunk);
      },
    }),
  );
}

/** Pass chunks through, advancing `bar` by their size. */
export async function* countChunks(source: AsyncIterable<Uint8Array>, bar: ProgressBar): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    bar.advance(chunk.byteLength);
    yield chunk;
  }
}
