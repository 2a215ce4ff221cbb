// Real Python lazyscribe 2.2.1 (vendored in tools/python, run with Debian's
// /usr/bin/python3) opens what this product writes, and answers like it.
// Missing Python packages fail these tests (scripts/ensure-python-test-deps.sh installs them).
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Repository } from "./index.js";
import { expectPythonAgrees } from "./python/expectPythonAgrees.js";
import { writeScenario } from "./python/interopScenario.js";
import { requirePython, runPython, vendoredDrift } from "./python/pythonOracle.js";

const FIXTURE = join(__dirname, "../../../fixtures/lazyscribe-2.2.1/repository");

let dir: string;
beforeAll(() => {
  requirePython();
  dir = mkdtempSync(join(tmpdir(), "lz-python-reads-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("Python lazyscribe 2.2.1 reads what we write (local disk)", () => {
  it("the vendored package is lazyscribe v2.2.1 verbatim", () => {
    expect(vendoredDrift()).toEqual([]);
  });

  it("opens the repository, project and releases, and answers every query like our library", async () => {
    cpSync(FIXTURE, join(dir, "fixture"), { recursive: true });
    await writeScenario(join(dir, "out"), join(dir, "fixture"));
    await expectPythonAgrees(join(dir, "out"), join(dir, "out"));
  }, 60_000);

  it("has the same expiry bug on a repository Python itself wrote (so it is not ours)", () => {
    cpSync(FIXTURE, join(dir, "python-wrote"), { recursive: true });
    const [r] = runPython({
      tasks: [
        {
          kind: "repository",
          path: join(dir, "python-wrote", "repository.json"),
          queries: [{ op: "load", name: "features" }, { op: "load", name: "features", version: 1 }, { op: "load", name: "config" }],
        },
      ],
    }).results;
    expect(r!.answers).toEqual([
      { error: "TypeError", message: "'<' not supported between instances of 'datetime.datetime' and 'str'" },
      { ok: [0, 1, 2, 3] },
      { ok: { lr: 0.05, layers: [16, 8] } },
    ]);
  });

  it("cannot open a repository holding an entry of a handler Python 2.2.1 lacks (text, yaml, bytes, v8): only json and pickle", async () => {
    const results = [];
    for (const handler of ["text", "yaml", "bytes", "v8"] as const) {
      const location = join(dir, `with-${handler}`, "repository.json");
      const repo = await Repository.open(location, { mode: "w" });
      repo.logArtifact("features", [0, 1], { handler: "json" });
      const value = handler === "text" ? "hello" : handler === "bytes" ? new Uint8Array([1, 2, 3]) : { a: 1 };
      repo.logArtifact("other", value, { handler });
      await repo.save();
      results.push({ kind: "repository", path: location, queries: [{ op: "load", name: "features" }] });
    }
    const answers = runPython({ tasks: results }).results.map((r) => r.open);
    expect(answers).toEqual(
      ["text", "yaml", "bytes", "v8"].map((h) => ({ error: "ValueError", message: `No handler available with the name ${h} in \`artifact_type\` group.` })),
    );
  });
});
