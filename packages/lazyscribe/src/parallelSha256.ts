import { createHash } from "node:crypto";
import { Worker } from "node:worker_threads";
import type { IncrementalHash } from "@lazyscribe/core";

// SHA-256 of a big artifact costs as much CPU as copying it. For streamed
// artifacts the hashing runs on a second thread, fed through a shared ring
// buffer, so reading, hashing and writing overlap. The interface stays
// synchronous (Atomics.wait is allowed off the browser main thread, and in
// Node's), so core needs no change.

const RING = 2 << 20;
const CTL_BYTES = 64; // Int32 [state, seq] + BigInt64 [head, tail] + digest (64 hex bytes) after
const DIGEST_OFFSET = CTL_BYTES;
const STATE_OPEN = 0;
const STATE_CLOSING = 1;
const STATE_DONE = 2;
const STALL_MS = 30_000;

const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
parentPort.on("message", (sab) => {
  const RING = ${RING}, CTL = ${CTL_BYTES};
  const ctl = new Int32Array(sab, 0, 2);
  const pos = new BigInt64Array(sab, 8, 2);
  const data = new Uint8Array(sab, CTL + 64, RING);
  const h = createHash("sha256");
  for (;;) {
    const head = Atomics.load(pos, 0), tail = Atomics.load(pos, 1);
    if (head === tail) {
      if (Atomics.load(ctl, 0) === ${STATE_CLOSING} && Atomics.load(pos, 0) === tail) break;
      const seq = Atomics.load(ctl, 1);
      if (Atomics.load(pos, 0) === tail && Atomics.load(ctl, 0) !== ${STATE_CLOSING}) Atomics.wait(ctl, 1, seq, 50);
      continue;
    }
    const start = Number(tail % BigInt(RING));
    const n = Math.min(Number(head - tail), RING - start);
    h.update(data.subarray(start, start + n));
    Atomics.store(pos, 1, tail + BigInt(n));
    Atomics.add(ctl, 1, 1);
    Atomics.notify(ctl, 1);
  }
  new Uint8Array(sab, CTL, 64).set(Buffer.from(h.digest("hex"), "latin1"));
  Atomics.store(ctl, 0, ${STATE_DONE});
  Atomics.add(ctl, 1, 1);
  Atomics.notify(ctl, 1);
});
`;

let worker: Worker | undefined;
let busy = false;

function claimWorker(): Worker | undefined {
  if (busy) return undefined;
  if (!worker) {
    // A small heap: the helper only hashes bytes that live in shared memory.
    worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 } });
    worker.unref();
    worker.on("error", () => (worker = undefined));
    worker.on("exit", () => (worker = undefined));
  }
  busy = true;
  return worker;
}

// A hash abandoned without digestHex() (e.g. its stream failed) releases the
// helper thread when it is garbage-collected.
const abandoned = new FinalizationRegistry<Int32Array>((ctl) => {
  if (Atomics.load(ctl, 0) === STATE_OPEN) {
    Atomics.store(ctl, 0, STATE_CLOSING);
    Atomics.add(ctl, 1, 1);
    Atomics.notify(ctl, 1);
  }
  busy = false;
});

class ParallelSha256 implements IncrementalHash {
  private readonly sab = new SharedArrayBuffer(CTL_BYTES + 64 + RING);
  private readonly ctl = new Int32Array(this.sab, 0, 2);
  private readonly pos = new BigInt64Array(this.sab, 8, 2);
  private readonly data = new Uint8Array(this.sab, CTL_BYTES + 64, RING);
  private finished = false;

  constructor(w: Worker) {
    w.postMessage(this.sab);
    abandoned.register(this, this.ctl, this);
  }

  update(chunk: Uint8Array): void {
    if (this.finished) throw new Error("hash already finalized");
    let offset = 0;
    while (offset < chunk.byteLength) {
      const head = Atomics.load(this.pos, 0);
      const free = RING - Number(head - Atomics.load(this.pos, 1));
      if (free === 0) {
        this.waitUntil(() => Atomics.load(this.pos, 1) !== head - BigInt(RING));
        continue;
      }
      const start = Number(head % BigInt(RING));
      const n = Math.min(free, chunk.byteLength - offset, RING - start);
      this.data.set(chunk.subarray(offset, offset + n), start);
      offset += n;
      Atomics.store(this.pos, 0, head + BigInt(n));
      Atomics.add(this.ctl, 1, 1);
      Atomics.notify(this.ctl, 1);
    }
  }

  digestHex(): string {
    if (this.finished) throw new Error("hash already finalized");
    this.finished = true;
    abandoned.unregister(this);
    Atomics.store(this.ctl, 0, STATE_CLOSING);
    Atomics.add(this.ctl, 1, 1);
    Atomics.notify(this.ctl, 1);
    try {
      this.waitUntil(() => Atomics.load(this.ctl, 0) === STATE_DONE);
      return Buffer.from(new Uint8Array(this.sab, DIGEST_OFFSET, 64)).toString("latin1");
    } finally {
      busy = false;
    }
  }

  /**
   * Block until `ready()` holds. The condition is re-checked after reading the
   * sequence number, so a wake-up between the check and the wait is never
   * lost; a dead worker cannot signal, hence the stall limit.
   */
  private waitUntil(ready: () => boolean): void {
    const deadline = Date.now() + STALL_MS;
    for (;;) {
      const seq = Atomics.load(this.ctl, 1);
      if (ready()) return;
      if (Date.now() > deadline) {
        busy = false;
        throw new Error("the hashing thread stopped responding");
      }
      Atomics.wait(this.ctl, 1, seq, 100);
    }
  }
}

function syncHash(): IncrementalHash {
  const h = createHash("sha256");
  return { update: (chunk) => void h.update(chunk), digestHex: () => h.digest("hex") };
}

/**
 * SHA-256 for streamed artifacts on a helper thread when it is free (else on
 * this thread), so hashing overlaps the file I/O.
 */
export function parallelSha256(): IncrementalHash {
  if (typeof SharedArrayBuffer === "undefined") return syncHash();
  const w = claimWorker();
  return w ? new ParallelSha256(w) : syncHash();
}
