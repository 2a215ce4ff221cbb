import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { nodeSha256 } from "./nodeSha256.js";
import { parallelSha256 } from "./parallelSha256.js";

const reference = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("SHA-256 on a helper thread", () => {
  it.each([0, 1, 4096, 8 << 20, (8 << 20) + 13, 21 << 20])("matches node:crypto for %i bytes in odd-sized chunks", (n) => {
    const data = randomBytes(n);
    const h = parallelSha256();
    for (let o = 0; o < n; o += 999_983) h.update(data.subarray(o, o + 999_983));
    expect(h.digestHex()).toBe(reference(data));
  });

  it("falls back to this thread while the helper is busy, and both digests are right", () => {
    const a = randomBytes(3 << 20);
    const b = randomBytes(5 << 20);
    const ha = parallelSha256();
    const hb = parallelSha256();
    ha.update(a.subarray(0, 1 << 20));
    hb.update(b);
    ha.update(a.subarray(1 << 20));
    expect(hb.digestHex()).toBe(reference(b));
    expect(ha.digestHex()).toBe(reference(a));
    // The helper is free again afterwards.
    const hc = nodeSha256({ streaming: true });
    hc.update(a);
    expect(hc.digestHex()).toBe(reference(a));
  });

  it("refuses use after digest", () => {
    const h = parallelSha256();
    h.digestHex();
    expect(() => h.update(new Uint8Array(1))).toThrow(/finalized/);
  });
});

describe("SHA-256 helper thread under many small chunks", () => {
  it("never loses a wake-up when the ring fills (64 KiB chunks, 48 MiB)", () => {
    const chunk = randomBytes(64 << 10);
    const ref = createHash("sha256");
    const h = parallelSha256();
    for (let i = 0; i < 768; i++) {
      chunk[0] = i & 0xff;
      h.update(chunk);
      ref.update(chunk);
    }
    expect(h.digestHex()).toBe(ref.digest("hex"));
  });
});
