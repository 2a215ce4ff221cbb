/**
 * The public surface of every package, as a visible diff: each package's
 * `exports.txt` lists the names `Object.keys(await import(entry))` gives for
 * its public entry points (sorted). Internals used across packages live on
 * `@lazyscribe/core/internal`, which is not listed. After a deliberate
 * change, rewrite the files with
 * `UPDATE_EXPORTS=1 pnpm --filter lazyscribe exec vitest run src/publicSurface.test.ts`.
 * The handler packages (which depend on lazyscribe for their tests) check
 * their own `exports.txt` in `src/exports.test.ts`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const packagesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Package folder → its public entry points (package specifiers). */
const SURFACES: Record<string, string[]> = {
  core: ["@lazyscribe/core", "@lazyscribe/core/testing"],
  "storage-fs": ["@lazyscribe/storage-fs"],
  handlers: ["@lazyscribe/handlers"],
  release: ["@lazyscribe/release"],
  experiments: ["@lazyscribe/experiments"],
  lazyscribe: ["lazyscribe"],
  "storage-s3": ["@lazyscribe/storage-s3"],
};

const load: Record<string, () => Promise<Record<string, unknown>>> = {
  "@lazyscribe/core": () => import("@lazyscribe/core"),
  "@lazyscribe/core/testing": () => import("@lazyscribe/core/testing"),
  "@lazyscribe/storage-fs": () => import("@lazyscribe/storage-fs"),
  "@lazyscribe/handlers": () => import("@lazyscribe/handlers"),
  "@lazyscribe/release": () => import("@lazyscribe/release"),
  "@lazyscribe/experiments": () => import("@lazyscribe/experiments"),
  lazyscribe: () => import("./index.js"),
  "@lazyscribe/storage-s3": () => import("@lazyscribe/storage-s3"),
};

async function render(dir: string): Promise<string> {
  const sections: string[] = [];
  for (const entry of SURFACES[dir]!) {
    const names = Object.keys(await load[entry]!()).sort();
    sections.push(`[${entry}]\n${names.join("\n")}\n`);
  }
  return (
    `# Public exports of ${SURFACES[dir]![0]}, one name a line, sorted (checked by packages/lazyscribe/src/publicSurface.test.ts).\n` +
    "# After a deliberate change: UPDATE_EXPORTS=1 pnpm --filter lazyscribe exec vitest run src/publicSurface.test.ts\n\n" +
    sections.join("\n")
  );
}

describe("public surface of each package (exports.txt)", () => {
  for (const dir of Object.keys(SURFACES)) {
    it(`${SURFACES[dir]![0]} exports exactly what ${dir}/exports.txt lists`, async () => {
      const file = path.join(packagesDir, dir, "exports.txt");
      const actual = await render(dir);
      if (process.env.UPDATE_EXPORTS === "1") writeFileSync(file, actual);
      expect(actual).toBe(readFileSync(file, "utf8"));
    });
  }

  it("internals stay off the public surface", async () => {
    const names = Object.keys(await load.lazyscribe!());
    for (const internal of ["backoff", "commitWithRetry", "hashingIterable", "isOneShot", "hasMethods", "keyProblem", "nodeMajor", "DEFAULT_LOCK_STALE_MS", "lockState", "parseOptions"]) {
      expect(names, internal).not.toContain(internal);
    }
    expect(names.length).toBeLessThan(110);
  });
});
