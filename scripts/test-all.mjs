#!/usr/bin/env node
// Build everything, run every package's tests, and print one closing line:
// "N passed, M failed" summed over all test files. Exit non-zero on any failure.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: process.env.FORCE_COLOR ?? "0" };
const workspaces = ["packages", "apps"].flatMap((d) =>
  readdirSync(join(root, d), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(root, d, e.name)),
);
const resultFile = (ws) => join(ws, ".vitest-result.json");
for (const ws of workspaces) rmSync(resultFile(ws), { force: true });

const build = spawnSync("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"], { cwd: root, env, stdio: "inherit" });
let passed = 0;
let failed = 0;
let status = build.status ?? 1;
if (status === 0) {
  // One real S3 server (single-node Ceph) for every package's s3:// tests; their vitest
  // global setups reuse it, and fail with its log in CI when it is not there.
  const s3 = join(root, "scripts/s3-server.sh");
  const canRunCeph = spawnSync("sh", ["-c", "command -v ceph-mon || { command -v apt-get && [ \"$(id -u)\" = 0 ]; }"]).status === 0;
  const s3Started = canRunCeph && spawnSync("bash", [s3, "status"]).status !== 0 && spawnSync("bash", [s3, "start"], { stdio: "inherit" }).status === 0;
  const test = spawnSync("pnpm", ["exec", "turbo", "run", "test", "--continue", "--concurrency=1"], { cwd: root, env, stdio: "inherit" });
  if (s3Started) spawnSync("bash", [s3, "stop"], { stdio: "inherit" });
  status = test.status ?? 1;
  for (const ws of workspaces) {
    const pkg = JSON.parse(readFileSync(join(ws, "package.json"), "utf8"));
    if (!pkg.scripts?.test) continue;
    if (!existsSync(resultFile(ws))) {
      console.error(`no test results from ${pkg.name} (its test run crashed)`);
      failed += 1;
      continue;
    }
    const r = JSON.parse(readFileSync(resultFile(ws), "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    // A test file that failed to load has no test results of its own: count it once.
    failed += r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
  }
} else {
  console.error("build failed; tests were not run");
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
