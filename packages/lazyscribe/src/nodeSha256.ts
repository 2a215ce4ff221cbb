import { createHash } from "node:crypto";
import type { HashFactory } from "@lazyscribe/core";
import { parallelSha256 } from "./parallelSha256.js";

/**
 * SHA-256 from `node:crypto` (hardware-accelerated). Streamed artifacts are
 * hashed on a helper thread so hashing overlaps reading and writing.
 */
export const nodeSha256: HashFactory = (hint) => {
  if (hint?.streaming) return parallelSha256();
  const h = createHash("sha256");
  return {
    update: (chunk) => void h.update(chunk),
    digestHex: () => h.digest("hex"),
  };
};
