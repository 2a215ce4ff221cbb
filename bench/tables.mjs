// `node bench/tables.mjs` (after `pnpm build`): load a 1,000,000-row ×
// 10-column table artifact with @lazyscribe/handlers-arrow, beside
// independent baselines measured in the same run, each in its own process
// (rows/s and peak RSS):
//   parquet: the handler's loadArtifact (sha256 verified) vs DuckDB reading the same file;
//   csv:     the handler's loadArtifact (types inferred) vs csv-parse alone (strings only).
// `--reuse` measures the files an earlier run left with `--keep`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const ROWS = 1_000_000;
const here = import.meta.dirname;
const data = join(here, ".data", "tables");
const role = process.argv[2];

async function openRepo(mode) {
  const { Repository, createHandlerRegistry } = await import("lazyscribe");
  const { arrowHandlers } = await import("@lazyscribe/handlers-arrow");
  return Repository.open(join(data, "repository.json"), { mode, handlers: createHandlerRegistry(arrowHandlers) });
}

/** Run `fn` in this process and print { ms, rows, rssMiB } as JSON. */
async function measure(fn) {
  const t = performance.now();
  const rows = await fn();
  const ms = performance.now() - t;
  console.log(JSON.stringify({ ms, rows, rssMiB: process.resourceUsage().maxRSS / 1024 }));
}

if (role === "make") {
  const { Table, vectorFromArray, Utf8 } = await import("apache-arrow");
  const cols = {};
  for (let c = 0; c < 4; c++) cols[`i${c}`] = vectorFromArray(BigInt64Array.from({ length: ROWS }, (_, i) => BigInt(i * (c + 1)) - 500000n));
  for (let c = 0; c < 4; c++) cols[`f${c}`] = vectorFromArray(Float64Array.from({ length: ROWS }, (_, i) => Math.sin(i + c) * 1000));
  for (let c = 0; c < 2; c++) cols[`s${c}`] = vectorFromArray(Array.from({ length: ROWS }, (_, i) => `name-${(i * 7 + c) % 5000}`), new Utf8());
  const table = new Table(cols);
  const repo = await openRepo("w");
  repo.logArtifact("features", table, { handler: "parquet" });
  repo.logArtifact("features-csv", table, { handler: "csv" });
  await repo.save();
} else if (role === "parquet") {
  await measure(async () => (await (await openRepo("r")).loadArtifact("features")).numRows);
} else if (role === "duckdb") {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const repo = await openRepo("r");
  const file = join(data, "features", repo.getArtifactMetadata("features").fname);
  await measure(async () => {
    const db = await DuckDBInstance.create(":memory:");
    const con = await db.connect();
    const reader = await con.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
    return reader.currentRowCount;
  });
} else if (role === "csv") {
  await measure(async () => (await (await openRepo("r")).loadArtifact("features-csv")).numRows);
} else if (role === "csv-parse") {
  const { parse } = await import("csv-parse/sync");
  const repo = await openRepo("r");
  const file = join(data, "features-csv", repo.getArtifactMetadata("features-csv").fname);
  await measure(async () => parse(readFileSync(file, "utf8")).length - 1);
} else {
  // --reuse: keep the files of an earlier run (making them takes minutes).
  const reuse = process.argv.includes("--reuse") && existsSync(join(data, "repository.json"));
  if (!reuse) {
    rmSync(data, { recursive: true, force: true });
    mkdirSync(data, { recursive: true });
  }
  const child = (r) => {
    const p = spawnSync(process.execPath, [import.meta.filename, r], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (p.status !== 0) throw new Error(`${r} failed`);
    return r === "make" ? null : JSON.parse(p.stdout.trim().split("\n").pop());
  };
  if (!reuse) {
    const t = performance.now();
    child("make");
    console.log(`made ${ROWS} rows × 10 columns as parquet and csv in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const line = (name, ours, base, baseName) =>
    console.log(
      `${name.padEnd(8)} lazyscribe ${(ours.rows / ours.ms).toFixed(1)}k rows/s (${(ours.ms / 1000).toFixed(1)} s), ${ours.rssMiB.toFixed(0)} MiB RSS | ` +
        `${baseName} ${(base.rows / base.ms).toFixed(1)}k rows/s (${(base.ms / 1000).toFixed(1)} s), ${base.rssMiB.toFixed(0)} MiB RSS | ratio (time) ${(ours.ms / base.ms).toFixed(2)}×`,
    );
  line("parquet", child("parquet"), child("duckdb"), "DuckDB");
  line("csv", child("csv"), child("csv-parse"), "csv-parse alone");
  if (!process.argv.includes("--keep")) rmSync(data, { recursive: true, force: true });
}
