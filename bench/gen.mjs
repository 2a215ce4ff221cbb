// Deterministic workload: 200 names × 500 versions = 100,000 entries (~22 MB),
// shaped like a manifest written by Python lazyscribe.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export const NAMES = 200;
export const VERSIONS = 500;
export const START = Date.UTC(2020, 0, 1) / 1000;
export const STEP = 3600; // one version per name per hour

/** Simple deterministic PRNG (mulberry32). */
export function rng(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (s) => new Date(s * 1000).toISOString().slice(0, 19);
const stamp = (s) => iso(s).replace(/[-:T]/g, "");

export function generate(file) {
  const random = rng(42);
  const entries = [];
  for (let v = 0; v < VERSIONS; v++) {
    for (let n = 0; n < NAMES; n++) {
      const name = `artifact-${String(n).padStart(3, "0")}`;
      const created = START + v * STEP + n;
      const expires = random() < 0.1 ? iso(created + STEP * 24) : null;
      entries.push({
        created_at: iso(created),
        expiry: expires,
        fname: `${name}-${stamp(created)}.json`,
        handler: "json",
        name,
        version: v,
      });
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  const text = JSON.stringify(entries, null, 4);
  writeFileSync(file, text);
  return { entries: entries.length, bytes: Buffer.byteLength(text) };
}
