// `pnpm bench`: every SPEC 8 target, each beside its plain-Node baseline
// measured in the same run. Prints figures and ratios; exits 1 if a target is missed.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Repository } from "lazyscribe";
import { Bench } from "tinybench";
import { generate, NAMES, START, STEP, VERSIONS, rng } from "./gen.mjs";
import { time } from "./timing.mjs";

const here = import.meta.dirname;
const data = join(here, ".data");
rmSync(data, { recursive: true, force: true });
mkdirSync(data, { recursive: true });
const source = join(data, "source", "repository.json");
const gen = generate(source);
console.log(`workload: ${gen.entries} entries, ${(gen.bytes / 1e6).toFixed(1)} MB (${NAMES} names × ${VERSIONS} versions)`);

/** Median latency (ms) of each named function, measured by tinybench in one run. */
async function medians(fns, iterations, warmupIterations = 2) {
  const bench = new Bench({ iterations, time: 0, warmupIterations, warmupTime: 0 });
  for (const [name, fn] of Object.entries(fns)) bench.add(name, fn);
  await bench.run();
  return Object.fromEntries(bench.tasks.map((t) => [t.name, t.result.latency.p50]));
}
const results = [];
function report(name, ours, base, unit, limit, better = "lower") {
  const ratio = ours / base;
  const ok = better === "lower" ? ratio <= limit : ratio >= limit;
  results.push(ok);
  console.log(
    `${ok ? "PASS" : "MISS"}  ${name.padEnd(34)} ours ${ours.toFixed(2)} ${unit}  baseline ${base.toFixed(2)} ${unit}  ratio ${ratio.toFixed(2)} (target ${better === "lower" ? "≤" : "≥"} ${limit})`,
  );
}

// 1. open ≤ 2× JSON.parse(readFileSync())
{
  const m = await medians(
    { base: () => JSON.parse(readFileSync(source, "utf8")), ours: () => Repository.open(source, { mode: "r" }) },
    9,
  );
  report("open (read+validate+index)", m.ours, m.base, "ms", 2);
}

// 2. lookups ≤ 10 µs median each
{
  const repo = await Repository.open(source, { mode: "r", now: () => new Date((START + VERSIONS * STEP) * 1000) });
  const random = rng(7);
  const kinds = {
    latest: () => repo.getArtifactMetadata(`artifact-${String(Math.floor(random() * NAMES)).padStart(3, "0")}`),
    exact: () => {
      const n = Math.floor(random() * NAMES);
      const v = Math.floor(random() * VERSIONS);
      return repo.getArtifactMetadata(`artifact-${String(n).padStart(3, "0")}`, { version: new Date((START + v * STEP + n) * 1000) });
    },
    asof: () => {
      const n = Math.floor(random() * NAMES);
      const t = START + Math.floor(random() * VERSIONS * STEP) + STEP;
      try {
        return repo.getArtifactMetadata(`artifact-${String(n).padStart(3, "0")}`, { version: new Date(t * 1000), match: "asof" });
      } catch (err) {
        if (err.code !== "VERSION_NOT_FOUND") throw err;
      }
    },
  };
  const m = await medians(kinds, 10_000, 2_000);
  for (const kind of Object.keys(kinds)) {
    const us = m[kind] * 1000;
    results.push(us <= 10);
    console.log(`${us <= 10 ? "PASS" : "MISS"}  ${`lookup ${kind}`.padEnd(34)} median ${us.toFixed(2)} µs (target ≤ 10 µs)`);
  }
}

// 3. log one + save ≤ 2.5× parse + stringify + write
{
  const baseFile = join(data, "baseline", "repository.json");
  mkdirSync(join(data, "baseline"), { recursive: true });
  copyFileSync(source, baseFile);
  const base = await time(() => {
    const entries = JSON.parse(readFileSync(baseFile, "utf8"));
    entries.push({ created_at: "2030-01-01T00:00:00", expiry: null, fname: "x.json", handler: "json", name: "x", version: 0 });
    writeFileSync(baseFile, JSON.stringify(entries, null, 4));
  }, 5);
  const oursDir = join(data, "ours");
  mkdirSync(oursDir, { recursive: true });
  copyFileSync(source, join(oursDir, "repository.json"));
  const ours = await time(async (i) => {
    const repo = await Repository.open(join(oursDir, "repository.json"), { mode: "a" });
    repo.logArtifact("artifact-000", { run: i }, { handler: "json" });
    await repo.save();
  }, 5);
  report("log one version + save", ours, base, "ms", 2.5);
}

// 4. 1 GiB bytes artifact: peak RSS growth ≤ 64 MiB, throughput ≥ 50% of cp
{
  const big = join(data, "big.bin");
  execFileSync(process.execPath, [join(here, "makeBigFile.mjs"), big, String(1024)]);
  const cpStart = performance.now();
  execFileSync("cp", [big, join(data, "big-copy.bin")]);
  const cpMs = performance.now() - cpStart;
  rmSync(join(data, "big-copy.bin"));
  const child = spawnSync(process.execPath, [join(here, "bigArtifact.mjs"), big, join(data, "bigrepo", "repository.json")], { encoding: "utf8" });
  if (child.status !== 0) {
    console.error(child.stderr);
    results.push(false);
  } else {
    const r = JSON.parse(child.stdout.trim().split("\n").pop());
    const mib = 1024 * 1024;
    const cpMBs = 1024 / (cpMs / 1000);
    report("1 GiB save (MiB/s, with sha256)", r.saveMBs, cpMBs, "MiB/s", 0.5, "higher");
    report("1 GiB load (MiB/s, verified)", r.loadMBs, cpMBs, "MiB/s", 0.5, "higher");
    const growth = r.peakRssGrowth / mib;
    results.push(growth <= 64);
    console.log(`${growth <= 64 ? "PASS" : "MISS"}  ${"1 GiB peak RSS growth".padEnd(34)} ${growth.toFixed(1)} MiB (target ≤ 64 MiB)`);
  }
  rmSync(big, { force: true });
  rmSync(join(data, "bigrepo"), { recursive: true, force: true });
}

// 5. CLI `lazyscribe ls` ≤ 3× `node -e 0`
{
  const cli = join(here, "..", "apps", "cli", "dist", "lazyscribe.mjs");
  if (!existsSync(cli)) {
    console.log("MISS  CLI ls startup: apps/cli/dist/lazyscribe.mjs not built");
    results.push(false);
  } else {
    const small = join(data, "small", "repository.json");
    const repo = await Repository.open(small, { mode: "w" });
    for (let i = 0; i < 5; i++) repo.logArtifact(`a${i}`, { i }, { handler: "json" });
    await repo.save();
    const run = (args) => time(() => execFileSync(process.execPath, args, { stdio: "ignore" }), 15);
    const base = await run(["-e", "0"]);
    const ours = await run([cli, "ls", "--repo", small]);
    report("CLI `lazyscribe ls` startup", ours, base, "ms", 3);
  }
}

console.log(`\nmachine: ${process.platform} ${process.arch}, node ${process.version}, ${(await import("node:os")).cpus().length} cpus; ${new Date().toISOString().slice(0, 10)}`);
const missed = results.filter((ok) => !ok).length;
console.log(missed === 0 ? "all targets met" : `${missed} target(s) missed`);
rmSync(data, { recursive: true, force: true });
process.exit(missed === 0 ? 0 : 1);
