import { createHash } from "node:crypto";
import type { HashFactory } from "@lazyscribe/core";

/** SHA-256 from `node:crypto` (hardware-accelerated), for hashing artifacts at disk speed. */
export const nodeSha256: HashFactory = () => {
  const h = createHash("sha256");
  return {
    update: (chunk) => void h.update(chunk),
    digestHex: () => h.digest("hex"),
  };
};
