import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";

// Which path nodeSha256 takes is the point here: count helper-thread hashes.
const parallel = vi.hoisted(() => ({ calls: 0 }));
vi.mock("./parallelSha256.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("./parallelSha256.js")>();
  return { parallelSha256: () => (parallel.calls++, real.parallelSha256()) };
});

const { nodeSha256 } = await import("./nodeSha256.js");

const data = new TextEncoder().encode("lazyscribe ".repeat(1000));
const reference = createHash("sha256").update(data).digest("hex");

describe("nodeSha256 picks the thread by hint", () => {
  beforeEach(() => void (parallel.calls = 0));

  it.each([
    [{ streaming: true }, 1],
    [{ streaming: true, remote: true }, 0],
    [{ remote: true }, 0],
    [undefined, 0],
  ] as const)("hint %j → %i helper-thread hashes, same digest", (hint, helper) => {
    const h = nodeSha256(hint);
    h.update(data.subarray(0, 777));
    h.update(data.subarray(777));
    expect(h.digestHex()).toBe(reference);
    expect(parallel.calls).toBe(helper);
  });
});
