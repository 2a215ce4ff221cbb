/** Test helpers: run the BUILT CLI (dist/lazyscribe.mjs) in temp folders. */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const CLI = path.resolve(here, "../../dist/lazyscribe.mjs");
// The repository's vendored copy of the Python fixtures (a fresh clone has no ../shared).
export const FIXTURES = path.resolve(here, "../../../../fixtures/lazyscribe-2.2.1");

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export interface RunOptions {
  cwd: string;
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  /** Another copy of the bundle to run instead of dist/lazyscribe.mjs. */
  script?: string;
}

/** Run `node dist/lazyscribe.mjs ...args` and capture everything. */
export function run(args: string[], options: RunOptions): RunResult {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} is missing: build it first (cd /work/main && npx turbo run build --filter=@lazyscribe/cli...)`);
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env })) {
    if (v !== undefined) env[k] = v;
  }
  const r = spawnSync(process.execPath, [options.script ?? CLI, ...args], {
    cwd: options.cwd,
    input: options.input ?? "",
    env,
    maxBuffer: 64 * 1024 * 1024,
    timeout: 20_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout.toString("utf8"), stderr: r.stderr.toString("utf8"), stdoutBytes: r.stdout };
}

/** Parse stdout as exactly one JSON document. */
export function json<T = Record<string, unknown>>(r: RunResult): T {
  return JSON.parse(r.stdout) as T;
}

/** A fresh temp folder; remove it with `cleanup`. */
export function tempDir(prefix = "lazyscribe-cli-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Copy a read-only fixture folder into `dest`, made writable (the original is never touched). */
export function copyFixture(name: "repository" | "project", dest: string): string {
  const target = path.join(dest, name);
  cpSync(path.join(FIXTURES, name), target, { recursive: true });
  makeWritable(target);
  return target;
}

function makeWritable(p: string): void {
  const s = statSync(p);
  chmodSync(p, s.isDirectory() ? 0o755 : 0o644);
  if (s.isDirectory()) for (const e of readdirSync(p)) makeWritable(path.join(p, e));
}

/** True when the text contains ANSI escapes. */
export function hasAnsi(text: string): boolean {
  return text.includes("\u001b[");
}
