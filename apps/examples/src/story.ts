import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One walkthrough of the guide: a title and a function run in its own folder. */
export interface Example {
  title: string;
  run(dir: string, say: (line: string) => void): Promise<void>;
}

/** Assert and narrate: every outcome the guide promises is checked. */
export function expectEqual<T>(actual: T, expected: T, what: string): void {
  assert.deepStrictEqual(actual, expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** Assert that `fn` rejects with a lazyscribe error of `code`. */
export async function expectError(fn: () => unknown, code: string, what: string): Promise<string> {
  try {
    await fn();
  } catch (err) {
    assert.equal((err as { code?: string }).code, code, `${what}: expected ${code}, got ${String(err)}`);
    return (err as Error).message;
  }
  assert.fail(`${what}: expected ${code}, but it succeeded`);
}

/** A settable UTC clock, so the story's dates are the guide's dates. */
export function clock(start: string): { now: () => Date; set: (t: string) => void } {
  let t = new Date(`${start}Z`);
  return { now: () => t, set: (s) => (t = new Date(`${s}Z`)) };
}

/** Run examples in fresh temp folders, printing a short story; exit 1 on the first failure. */
export async function runExamples(examples: Example[]): Promise<void> {
  for (const [i, ex] of examples.entries()) {
    const dir = mkdtempSync(join(tmpdir(), "lazyscribe-example-"));
    console.log(`\n${i + 1}. ${ex.title}`);
    try {
      await ex.run(dir, (line) => console.log(`   - ${line}`));
    } catch (err) {
      console.error(`   FAILED: ${(err as Error).stack ?? String(err)}`);
      process.exitCode = 1;
      return;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`\nAll ${examples.length} walkthroughs ran and every outcome was checked.`);
}
