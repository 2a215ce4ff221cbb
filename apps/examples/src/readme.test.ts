/**
 * Every ```ts block of the repository's README.md, run as it is: extracted
 * in order, each one a module (beside this package, so `lazyscribe`
 * resolves) run with tsx in one fresh, empty folder, as a reader pasting
 * them one after another would. The blocks may not depend on the clock
 * (times come from the metadata they wrote), so this passes at any time,
 * including several blocks within one second. The folder holds the clone's
 * `fixtures/` (blocks may read the Python-written repositories there), and
 * blocks that use `s3://` run against the local S3 test server (single-node
 * Ceph, see scripts/s3-server.sh) with a bucket named as in the README.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ensureBucket, s3Available } from "../../../packages/storage-s3/src/testing/s3TestEnv.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(path.resolve(here, "../../../README.md"), "utf8");
const tsxPackage = createRequire(import.meta.url).resolve("tsx/package.json");
const tsxLoader = pathToFileURL(path.join(path.dirname(tsxPackage), (JSON.parse(readFileSync(tsxPackage, "utf8")) as { exports: Record<string, string> }).exports["."]!)).href;

/** The ```ts blocks of a Markdown text, with the line each starts on. */
export function typescriptBlocks(markdown: string): Array<{ line: number; code: string }> {
  const blocks: Array<{ line: number; code: string }> = [];
  const re = /^```(?:ts|typescript)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    blocks.push({ line: markdown.slice(0, m.index).split("\n").length, code: m[1]! });
  }
  return blocks;
}

// Modules live beside this package (so "lazyscribe" resolves); they run in an empty folder.
const modules = mkdtempSync(path.join(here, "..", ".readme-"));
// The blocks' folder is one level down, so paths like "../deploy/" stay inside what afterAll removes.
const base = mkdtempSync(path.join(tmpdir(), "lazyscribe-readme-"));
const cwd = path.join(base, "work");
mkdirSync(cwd);
symlinkSync(path.resolve(here, "../../../fixtures"), path.join(cwd, "fixtures"), "dir");
afterAll(() => {
  rmSync(modules, { recursive: true, force: true });
  rmSync(base, { recursive: true, force: true });
});

describe("README.md TypeScript blocks", () => {
  const blocks = typescriptBlocks(readme);

  it("there are blocks to run", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  for (const [i, block] of blocks.entries()) {
    const usesS3 = block.code.includes("s3://");
    if (usesS3 && !s3Available) console.warn(`\n!!! README.md line ${block.line} (s3://) SKIPPED: no S3 test server; run scripts/s3-server.sh start\n`);
    it.skipIf(usesS3 && !s3Available)(`block ${i + 1} (README.md line ${block.line}) runs`, async () => {
      for (const bucket of usesS3 ? new Set([...block.code.matchAll(/s3:\/\/([a-z0-9.-]+)\//g)].map((m) => m[1]!)) : []) await ensureBucket(bucket);
      const file = path.join(modules, `block${i + 1}.mts`);
      writeFileSync(file, block.code);
      mkdirSync(cwd, { recursive: true });
      // The AWS SDK warns on Node 20 that its 2027 releases need Node 22 (the README names this switch).
      const env = usesS3 ? { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } : process.env;
      const r = spawnSync(process.execPath, ["--import", tsxLoader, file], { cwd, env, encoding: "utf8", timeout: 60_000 });
      expect(r.stderr, `README.md line ${block.line}`).toBe("");
      expect(r.status).toBe(0);
    });
  }
});
