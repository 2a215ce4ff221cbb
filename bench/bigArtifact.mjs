// Save and load a big `bytes` artifact in a fresh process, sampling RSS.
import { createReadStream, statSync } from "node:fs";
import { Repository } from "lazyscribe";

const [file, location] = process.argv.slice(2);
const size = statSync(file).size;
globalThis.gc?.();
const baseRss = process.memoryUsage.rss();
let peak = baseRss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);

let t = performance.now();
const repo = await Repository.open(location, { mode: "w" });
repo.logArtifact("big", createReadStream(file, { highWaterMark: 1 << 20 }), { handler: "bytes" });
await repo.save();
const saveMs = performance.now() - t;

t = performance.now();
const stream = await repo.loadArtifact("big", { stream: true });
let seen = 0;
for await (const chunk of stream) seen += chunk.byteLength;
const loadMs = performance.now() - t;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
if (seen !== size) throw new Error(`loaded ${seen} bytes, expected ${size}`);
const mib = size / 1024 / 1024;
console.log(JSON.stringify({ saveMBs: mib / (saveMs / 1000), loadMBs: mib / (loadMs / 1000), peakRssGrowth: peak - baseRss }));
