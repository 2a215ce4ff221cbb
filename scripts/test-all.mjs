#!/usr/bin/env node
// Build everything, run every package's tests and the packed-tarball install
// test, and print one closing line: "N passed, M failed" summed over all of
// them. Exit non-zero on any failure. Installs the Debian packages the tests
// need when missing (Debian's Python packages here; Ceph and Chromium in the S3
// and browser tests' own setups).
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

// The cross-language tests use Debian's Python: python3-pandas and python3-onnx (handlers),
// python3-attr, python3-fsspec and python3-slugify (real Python lazyscribe, tools/python), python3-boto3 (its s3://).
if (spawnSync("bash", [join(root, "scripts/ensure-python-test-deps.sh")], { cwd: root, env, stdio: "inherit" }).status !== 0) {
  console.error("!!! could not install the Python test packages (python3-pandas, python3-onnx, python3-attr, python3-fsspec, python3-slugify, python3-boto3): the cross-language tests will fail (run scripts/ensure-python-test-deps.sh as root)");
}

const build = spawnSync("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"], { cwd: root, env, stdio: "inherit" });
let passed = 0;
let failed = 0;
/** @type {string[]} */
const failures = [];

/** One line per failed test (or test file that failed to load), with its first error line. */
function failuresOf(pkgName, report) {
  const lines = [];
  for (const file of report.testResults) {
    const where = `${pkgName} ${file.name.slice(root.length + 1)}`;
    const failedTests = file.assertionResults.filter((t) => t.status === "failed");
    if (file.status === "failed" && failedTests.length === 0) lines.push(`${where}: ${firstLine(file.message)}`);
    for (const t of failedTests) lines.push(`${where} > ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
  }
  return lines;
}
const firstLine = (text) => (text ?? "").split("\n").find((l) => l.trim() !== "")?.trim().slice(0, 300) ?? "(no message)";
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
    failures.push(...failuresOf(pkg.name, r));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    // A test file that failed to load has no test results of its own: count it once.
    failed += r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
  }
  // Packed tarballs installed with plain npm, as a package user would (prints "pack-install: N passed, M failed").
  const pack = spawnSync("bash", [join(root, "scripts/pack-install-test.sh")], { cwd: root, env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  process.stdout.write(pack.stdout ?? "");
  const m = /^pack-install: (\d+) passed, (\d+) failed$/m.exec(pack.stdout ?? "");
  if (m) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  } else {
    console.error("the pack-install test printed no result line");
    failed += 1;
  }
  if (pack.status !== 0 && !(m && Number(m[2]) > 0)) failed += 1;
} else {
  console.error("build failed; tests were not run");
  failed += 1;
}
// Repeat what failed right above the closing line: CI logs are often read from the end.
if (failures.length > 0) console.log(["", "FAILED:", ...failures.map((f) => `  ${f}`), ""].join("\n"));
console.log(`${passed} passed, ${failed} failed`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
