// `node bench/s3.mjs` (after `pnpm build` and `scripts/s3-server.sh start`): the SPEC
// workload on the local S3 server (single-node Ceph) beside the same on disk, each
// with its plain-Node baseline from the same run, and requests / bytes per operation.
// LAZYSCRIBE_BENCH_S3_BIG_MIB sets the big artifact's size (default 1024).
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { S3Storage } from "@lazyscribe/storage-s3";
import { Repository } from "lazyscribe";
import { generate } from "./gen.mjs";
import { time } from "./timing.mjs";

const here = import.meta.dirname;
const script = join(here, "..", "scripts", "s3-server.sh");
if (!process.env.AWS_ENDPOINT_URL_S3) {
  if (spawnSync("bash", [script, "status"]).status !== 0) {
    console.log(`MISS  s3 bench: no S3 server; run ${script} start`);
    process.exit(1);
  }
  for (const m of execFileSync("bash", [script, "env"], { encoding: "utf8" }).matchAll(/^export (\w+)=(.*)$/gm)) process.env[m[1]] = m[2];
}
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const bucket = process.env.LAZYSCRIBE_S3_TEST_BUCKET ?? "lazyscribe-test";
const prefix = `bench-${process.pid}`;

const data = join(here, ".data", "s3");
rmSync(data, { recursive: true, force: true });
mkdirSync(data, { recursive: true });
const source = join(data, "source", "repository.json");
const gen = generate(source);
const sourceBytes = readFileSync(source);
console.log(`workload: ${gen.entries} entries, ${(gen.bytes / 1e6).toFixed(1)} MB; S3 at ${process.env.AWS_ENDPOINT_URL_S3}`);

const storage = new S3Storage({ bucket, prefix });
const client = storage.client;
/** Requests and bytes S3Storage sent for `runs` calls of fn, per call. */
async function perOp(fn, runs) {
  const before = { ...storage.requests };
  for (let i = 0; i < runs; i++) await fn(i);
  const r = storage.requests;
  return `${((r.count - before.count) / runs).toFixed(1)} requests, ${((r.bytesDown - before.bytesDown) / runs / 1e6).toFixed(2)} MB down, ${((r.bytesUp - before.bytesUp) / runs / 1e6).toFixed(2)} MB up`;
}
const row = (name, disk, diskBase, s3, s3Base, unit, io = "") =>
  console.log(
    `${name.padEnd(26)} disk ${disk.toFixed(2)} ${unit} (baseline ${diskBase.toFixed(2)}, ${(disk / diskBase).toFixed(2)}×)   s3 ${s3.toFixed(2)} ${unit} (baseline ${s3Base.toFixed(2)}, ${(s3 / s3Base).toFixed(2)}×)${io ? `   s3 per op: ${io}` : ""}`,
  );

try {
  await storage.write("repository.json", sourceBytes);
  const RUNS = 5;

  // open: read + validate + index
  {
    const diskBase = await time(() => JSON.parse(readFileSync(source, "utf8")), RUNS);
    const disk = await time(() => Repository.open(source, { mode: "r" }), RUNS);
    const s3Base = await time(async () => {
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}/repository.json` }));
      JSON.parse(await res.Body.transformToString());
    }, RUNS);
    const s3 = await time(() => Repository.open("repository.json", { storage, mode: "r" }), RUNS);
    row("open", disk, diskBase, s3, s3Base, "ms", await perOp(() => Repository.open("repository.json", { storage, mode: "r" }), 2));
  }

  // lookup latest (in memory after open: the same on both)
  {
    const repo = await Repository.open("repository.json", { storage, mode: "r" });
    const n = 10_000;
    const t = performance.now();
    for (let i = 0; i < n; i++) repo.getArtifactMetadata(`artifact-${String(i % 200).padStart(3, "0")}`);
    console.log(`${"lookup latest".padEnd(26)} s3-opened repository: ${(((performance.now() - t) / n) * 1000).toFixed(2)} µs (no requests)`);
  }

  // log one version + save into the 100k repository (kept open: the save HEADs, PUTs the artifact, PUTs the manifest)
  {
    const diskDir = join(data, "disk");
    mkdirSync(diskDir, { recursive: true });
    copyFileSync(source, join(diskDir, "repository.json"));
    const diskBase = await time(() => {
      const entries = JSON.parse(readFileSync(join(diskDir, "repository.json"), "utf8"));
      entries.push({ ...entries[0], version: entries.length });
      return JSON.stringify(entries, null, 4);
    }, RUNS);
    const diskRepo = await Repository.open(join(diskDir, "repository.json"), { mode: "a" });
    const disk = await time(async (i) => {
      diskRepo.logArtifact("artifact-000", { run: i }, { handler: "json" });
      await diskRepo.save();
    }, RUNS);
    const s3Base = await time(async () => {
      const body = Buffer.from(sourceBytes);
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/baseline.json`, Body: body, ContentLength: body.byteLength }));
    }, RUNS);
    const s3Repo = await Repository.open("repository.json", { storage, mode: "a" });
    const s3 = await time(async (i) => {
      s3Repo.logArtifact("artifact-000", { run: i }, { handler: "json" });
      await s3Repo.save();
    }, RUNS);
    const io = await perOp(async (i) => {
      s3Repo.logArtifact("artifact-000", { run: 100 + i }, { handler: "json" });
      await s3Repo.save();
    }, 3);
    row("log one version + save", disk, diskBase, s3, s3Base, "ms", io);
  }

  // big bytes artifact: save and load streamed, peak RSS growth
  {
    const mibs = Number(process.env.LAZYSCRIBE_BENCH_S3_BIG_MIB ?? 1024);
    const big = join(data, "big.bin");
    execFileSync(process.execPath, [join(here, "makeBigFile.mjs"), big, String(mibs)]);
    const runBig = (location, ...flags) => {
      const child = spawnSync(process.execPath, ["--expose-gc", join(here, "bigArtifact.mjs"), big, location, ...flags], { encoding: "utf8", env: process.env });
      if (child.status !== 0) throw new Error(child.stderr);
      return JSON.parse(child.stdout.trim().split("\n").pop());
    };
    const diskLocation = join(data, "bigrepo", "repository.json");
    const s3Location = `s3://${bucket}/${prefix}/big/repository.json`;
    const d = runBig(diskLocation);
    d.fresh = runBig(diskLocation, "--load-only").load;
    const s = runBig(s3Location);
    s.fresh = runBig(s3Location, "--load-only").load;
    const mib = 1024 * 1024;
    const growth = (r) => `+${(r.peakRssGrowth / mib).toFixed(1)} MiB`;
    const io = (r) =>
      r.requests ? `, ${r.requests} request${r.requests === 1 ? "" : "s"}, ${((r.bytesUp + r.bytesDown) / 1e6).toFixed(1)} MB ${r.bytesUp >= r.bytesDown ? "up" : "down"}` : "";
    const line = (name, r) =>
      `  ${name.padEnd(5)} save ${r.save.MBs.toFixed(0).padStart(4)} MiB/s RSS ${growth(r.save)}${io(r.save)}   load ${r.load.MBs.toFixed(0).padStart(4)} MiB/s RSS ${growth(r.load)}   load in a fresh process ${r.fresh.MBs.toFixed(0).padStart(4)} MiB/s RSS ${growth(r.fresh)}${io(r.fresh)}`;
    console.log(
      `${mibs} MiB bytes artifact: peak RSS growth (target ≤ 64 MiB) of a fresh process that saves the artifact (streamed from a file, hashed) and then loads it (streamed, verified), and of another that only loads it; each over a baseline taken after a warm-up (repository opened, a 1 KiB artifact saved and/or loaded: for s3 the SDK is loaded, the client built and its first requests made), so it counts the artifact's buffers, garbage not yet collected and the hashing thread`,
    );
    console.log(line("disk", d));
    console.log(line("s3", s));
  }
} finally {
  const { deletePrefix } = await import("./s3Cleanup.mjs");
  await deletePrefix(client, bucket, `${prefix}/`);
  rmSync(data, { recursive: true, force: true });
}
