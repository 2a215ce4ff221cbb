/**
 * Test and screenshot data written by the library itself, with an injected
 * clock: a repository (json, yaml and text artifacts, expired versions,
 * releases) and a project with experiments and tests. Also the path of the
 * repository written by Python lazyscribe (vendored fixtures).
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRelease, dump, Project, Repository, type Release } from "lazyscribe";

/** A clock that returns whatever `set` put there. */
export function fakeClock(start: string): { now: () => Date; set: (t: string) => void } {
  let t = new Date(start);
  return { now: () => t, set: (s) => (t = new Date(s)) };
}

/** The time the demo data is viewed at (after every version was written). */
export const DEMO_NOW = "2025-06-01T00:00:00Z";

/** A temporary folder removed by the returned function. */
export function tempFolder(prefix = "lazyscribe-web-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Write the demo repository, releases and project into `dir`:
 * - `features` (json): v0 2025-01-01, v1 2025-02-01 (expired 2025-03-01), v2 2025-04-01;
 * - `config` (yaml): v0 2025-01-15, v1 2025-03-10;
 * - `notes` (text): v0 2025-02-20 expiring 2025-05-01 (expired at DEMO_NOW);
 * - `model` (v8, binary): v0 2025-05-10;
 * - releases v1.0.0 (2025-02-10: features v1, config v0) and v2.0.0 (2025-04-15: features v2, config v1, notes v0);
 * - a project with three experiments (metrics, parameters, tags, tests) and one promoted artifact.
 */
export async function writeDemo(dir: string): Promise<{ repository: string; releases: string; project: string; release: Release[] }> {
  const repository = join(dir, "repository.json");
  const clock = fakeClock("2025-01-01T00:00:00Z");
  const repo = await Repository.open(repository, { mode: "w", now: clock.now });
  const log = async (at: string, name: string, value: unknown, handler: string) => {
    clock.set(at);
    repo.logArtifact(name, value, handler === "json" ? { handler, indent: 2 } : { handler });
    await repo.save();
  };
  await log("2025-01-01T00:00:00Z", "features", { columns: ["age", "income"], rows: 1200 }, "json");
  await log("2025-01-15T09:00:00Z", "config", { learning_rate: 0.1, depth: 3 }, "yaml");
  await log("2025-02-01T00:00:00Z", "features", { columns: ["age", "income", "region"], rows: 1500 }, "json");
  // Releases are cut when they happen, from the repository as it was then.
  const cut = async (tag: string, at: string) => createRelease(await Repository.open(repository, { mode: "r", now: () => new Date(at) }), tag, { now: at });
  const release = [await cut("v1.0.0", "2025-02-10T00:00:00Z")];
  await log("2025-02-20T12:00:00Z", "notes", "first notes\nabout the data\n", "text");
  await log("2025-03-10T00:00:00Z", "config", { learning_rate: 0.05, depth: 4 }, "yaml");
  await log("2025-04-01T00:00:00Z", "features", { columns: ["age", "income", "region", "tenure"], rows: 2100 }, "json");
  release.push(await cut("v2.0.0", "2025-04-15T00:00:00Z"));
  await log("2025-05-10T00:00:00Z", "model", { weights: [0.1, 0.2, 0.3] }, "v8");
  const edit = await Repository.open(repository, { mode: "w+", now: clock.now });
  edit.setArtifactExpiry("features", 1, "2025-03-01T00:00:00Z");
  edit.setArtifactExpiry("notes", 0, "2025-05-01T00:00:00Z");
  await edit.save();

  const releases = join(dir, "releases.json");
  await dump(release, releases);

  const project = join(dir, "project.json");
  const pclock = fakeClock("2025-03-01T00:00:00Z");
  const p = await Project.open(project, { mode: "w+", author: "alice", now: pclock.now });
  const experiments: Array<[string, string, number, number, string[]]> = [
    ["Baseline model", "2025-03-01T00:00:00Z", 0.81, 3, ["baseline"]],
    ["Deeper trees", "2025-03-12T00:00:00Z", 0.86, 6, ["tuned"]],
    ["Wide features", "2025-04-02T00:00:00Z", 0.84, 4, ["tuned", "features"]],
  ];
  for (const [name, at, accuracy, depth, tags] of experiments) {
    pclock.set(at);
    await p.log(name, async (e) => {
      e.logMetric("accuracy", accuracy);
      e.logMetric("f1", Math.round((accuracy - 0.05) * 100) / 100);
      e.logParameter("depth", depth);
      e.tag(...tags);
      e.logArtifact("predictions", { accuracy }, { handler: "json" });
      await e.logTest("age < 30", (t) => t.logMetric("accuracy", Math.round((accuracy - 0.1) * 100) / 100));
      await e.logTest("age >= 30", (t) => t.logMetric("accuracy", Math.round((accuracy + 0.02) * 100) / 100));
    });
  }
  await p.save();
  // Promote the best experiment's predictions into the repository.
  const promoted = await Project.open(project, { mode: "a", now: pclock.now });
  const best = promoted.experiments.find((e) => e.name === "Deeper trees")!;
  const target = await Repository.open(repository, { mode: "a", now: () => new Date("2025-05-20T00:00:00Z") });
  await best.promoteArtifact(target, "predictions");
  return { repository, releases, project, release };
}

/** The vendored Python fixtures folder (`fixtures/lazyscribe-2.2.1`). */
export const PYTHON_FIXTURES = fileURLToPath(new URL("../../../../fixtures/lazyscribe-2.2.1/", import.meta.url));

/** A copy of the Python-written repository (so no test reads the vendored files in place). */
export function copyPythonRepository(dir: string): string {
  cpSync(join(PYTHON_FIXTURES, "repository"), join(dir, "py"), { recursive: true });
  return join(dir, "py", "repository.json");
}
