// Save and load a big `bytes` artifact in a fresh process, sampling RSS.
//
// What is measured: peak RSS growth over a baseline taken after a warm-up (the
// repository opened, a small artifact saved and loaded: for s3:// that loads
// the AWS SDK, builds the client and makes the first requests), so the figure
// is what the big artifact's bytes cost: buffers, garbage not yet collected,
// the hashing thread (on disk; S3 hashes on the calling thread). Save and load are each measured against that one
// baseline (no forced GC in between, as in a real process).
//
// `node bigArtifact.mjs <file> <location> --load-only` loads what an earlier
// run saved there, in its own fresh process (warm-up: the small artifact loaded).
import { createReadStream, statSync } from "node:fs";
import { Repository } from "lazyscribe";

const [file, location, flag] = process.argv.slice(2);
const loadOnly = flag === "--load-only";
const size = statSync(file).size;

// For s3:// the S3Storage behind the location counts requests and bytes.
const storage = location.startsWith("s3://") ? (await import("@lazyscribe/storage-s3")).resolveS3Location(location).storage : undefined;
const requests = () => ({ ...(storage?.requests ?? { count: 0, bytesUp: 0, bytesDown: 0 }) });

const repo = await Repository.open(location, { mode: loadOnly ? "r" : "w" });
if (!loadOnly) {
  repo.logArtifact("warm-up", new Uint8Array(1024), { handler: "bytes" });
  await repo.save();
}
await repo.loadArtifact("warm-up");

globalThis.gc?.();
globalThis.gc?.();
await new Promise((resolve) => setTimeout(resolve, 50));
const baseRss = process.memoryUsage.rss();
let peak = baseRss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);

/** Run one phase: its MiB/s, peak RSS growth over the baseline, and requests / bytes. */
async function phase(fn) {
  peak = process.memoryUsage.rss();
  const before = requests();
  const t = performance.now();
  await fn();
  const ms = performance.now() - t;
  peak = Math.max(peak, process.memoryUsage.rss());
  const after = requests();
  return {
    MBs: size / 1024 / 1024 / (ms / 1000),
    peakRssGrowth: peak - baseRss,
    requests: after.count - before.count,
    bytesUp: after.bytesUp - before.bytesUp,
    bytesDown: after.bytesDown - before.bytesDown,
  };
}

const save = loadOnly
  ? undefined
  : await phase(async () => {
      repo.logArtifact("big", createReadStream(file, { highWaterMark: 1 << 20 }), { handler: "bytes" });
      await repo.save();
    });
let seen = 0;
const load = await phase(async () => {
  const stream = await repo.loadArtifact("big", { stream: true });
  for await (const chunk of stream) seen += chunk.byteLength;
});
clearInterval(sampler);
if (seen !== size) throw new Error(`loaded ${seen} bytes, expected ${size}`);
console.log(
  JSON.stringify({
    baselineRss: baseRss,
    saveMBs: save?.MBs,
    loadMBs: load.MBs,
    peakRssGrowth: Math.max(save?.peakRssGrowth ?? 0, load.peakRssGrowth),
    save,
    load,
  }),
);
