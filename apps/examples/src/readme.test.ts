/**
 * Every ```ts block of the repository's README.md, run as it is: extracted
 * in order, each one a module (beside this package, so `lazyscribe`
 * resolves) run with tsx in one fresh, empty folder, as a reader pasting
 * them one after another would. The blocks may not depend on the clock
 * (times come from the metadata they wrote), so this passes at any time,
 * including several blocks within one second.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

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
const cwd = mkdtempSync(path.join(tmpdir(), "lazyscribe-readme-"));
afterAll(() => {
  rmSync(modules, { recursive: true, force: true });
  rmSync(cwd, { recursive: true, force: true });
});

describe("README.md TypeScript blocks", () => {
  const blocks = typescriptBlocks(readme);

  it("there are blocks to run", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  for (const [i, block] of blocks.entries()) {
    it(`block ${i + 1} (README.md line ${block.line}) runs`, () => {
      const file = path.join(modules, `block${i + 1}.mts`);
      writeFileSync(file, block.code);
      mkdirSync(cwd, { recursive: true });
      const r = spawnSync(process.execPath, ["--import", tsxLoader, file], { cwd, encoding: "utf8", timeout: 60_000 });
      expect(r.stderr, `README.md line ${block.line}`).toBe("");
      expect(r.status).toBe(0);
    });
  }
});
