import { createHash } from "node:crypto";
import type { HashFactory } from "@lazyscribe/core";
import { parallelSha256 } from "./parallelSha256.js";

/**
 * SHA-256 from `node:crypto` (hardware-accelerated). Streamed artifacts on
 * local storage are hashed on a helper thread so hashing overlaps reading and
 * writing; remote ones (S3) arrive slower than one core hashes, and the
 * thread would only cost memory (~13 MiB RSS).
 */
export const nodeSha256: HashFactory = (hint) => {
  if (hint?.streaming && !hint.remote) return parallelSha256();
  const h = createHash("sha256");
  return {
    update: (chunk) => void h.update(chunk),
    digestHex: () => h.digest("hex"),
  };
};
