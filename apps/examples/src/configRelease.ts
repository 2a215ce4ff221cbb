import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Repository, load, releaseFromPackageJson, releaseFromToml } from "lazyscribe";
import { clock, expectEqual, type Example } from "./story.js";

async function twoModels(dir: string, now: () => Date): Promise<void> {
  for (const model of ["model-1", "model-2"]) {
    mkdirSync(join(dir, "src", model), { recursive: true });
    const repo = await Repository.open(join(dir, "src", model, "repository.json"), { mode: "w", now });
    repo.logArtifact("estimator-config", { model, depth: 3 }, { handler: "json", indent: 4 });
    await repo.save();
  }
}

/** Guide: "Automated release creation via pyproject.toml" (and the package.json variant). */
export const configRelease: Example = {
  title: "Releases for several repositories from pyproject.toml or package.json",
  async run(dir, say) {
    const c = clock("2025-03-01T09:00:00");
    await twoModels(dir, c.now);
    const pyproject = [
      "[project]",
      'version = "1.0.0"',
      "",
      "[tool.lazyscribe]",
      "repositories = [",
      '    "src/model-1/repository.json",',
      '    "src/model-2/repository.json"',
      "]",
    ].join("\n");
    writeFileSync(join(dir, "pyproject.toml"), pyproject);
    const results = await releaseFromToml(readFileSync(join(dir, "pyproject.toml"), "utf8"), { cwd: dir, now: c.now });
    expectEqual(results.map((r) => [r.tag, r.created]), [["v1.0.0", true], ["v1.0.0", true]], "two releases");
    for (const model of ["model-1", "model-2"]) {
      const rel = await load(join(dir, "src", model, "releases.json"));
      expectEqual(rel.map((r) => r.tag), ["v1.0.0"], `${model} releases.json`);
    }
    say("pyproject.toml version 1.0.0 → releases.json with tag v1.0.0 beside both repositories");

    const again = await releaseFromToml(pyproject, { cwd: dir, now: c.now, onWarning: () => undefined });
    expectEqual(again.map((r) => r.created), [false, false], "existing tag is skipped");
    say("running it again skips the existing tag instead of duplicating it");

    c.set("2025-04-01T09:00:00");
    const pkg = { name: "service", version: "1.1.0", lazyscribe: { repositories: ["src/model-1/repository.json", "src/model-2/repository.json"] } };
    const fromPkg = await releaseFromPackageJson(JSON.stringify(pkg), { cwd: dir, now: c.now });
    expectEqual(fromPkg.map((r) => r.tag), ["v1.1.0", "v1.1.0"], "package.json tags");
    expectEqual((await load(join(dir, "src", "model-2", "releases.json"))).map((r) => r.tag), ["v1.0.0", "v1.1.0"], "appended");
    say("package.json version 1.1.0 → v1.1.0 appended to both releases.json files");
  },
};
