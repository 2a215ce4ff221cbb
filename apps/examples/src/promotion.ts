import { join } from "node:path";
import { Project, ProjectRegistry, Repository } from "lazyscribe";
import { clock, expectEqual, expectError, type Example } from "./story.js";

/** Guide: "Promote artifacts from experiments to the repository" — both paths. */
export const promotion: Example = {
  title: "Promoting the winning experiment's artifact into the repository",
  async run(dir, say) {
    const projectFile = join(dir, "project.json");
    const repoFile = join(dir, "repository.json");
    const registry = new ProjectRegistry();
    const c = clock("2025-03-02T10:00:00");

    const project = await Project.open(projectFile, { mode: "w", author: "alice", now: c.now, registry });
    await project.log("my-experiment", async (exp) => {
      exp.logMetric("accuracy", 0.91);
      exp.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 });
    });
    await project.save();
    say("logged my-experiment with a features artifact and saved project.json");

    // Path 1: reload the project; promotion copies the file and saves the repository.
    c.set("2025-03-02T11:00:00");
    const reloaded = await Project.open(projectFile, { mode: "r", now: c.now, registry });
    const repository = await Repository.open(repoFile, { now: c.now });
    const promoted = await reloaded.get("my-experiment").promoteArtifact(repository, "features");
    expectEqual(promoted.version, 0, "promoted version");
    const check = await Repository.open(repoFile, { mode: "r", now: c.now });
    expectEqual(await check.loadArtifact("features"), [0, 1, 2], "promoted value");
    say("reloaded the project read-only and promoted features: the file was copied and repository.json saved (version 0)");

    // Promoting the same artifact again is refused: it is not newer than the repository's latest.
    await expectError(() => reloaded.get("my-experiment").promoteArtifact(repository, "features"), "ARTIFACT_LOG", "not newer");
    say("promoting it a second time is refused: it is not newer than the repository's latest version");

    // Path 2: promote before the project is saved; the caller saves the repository.
    c.set("2025-03-03T09:00:00");
    const live = await Project.open(projectFile, { mode: "a", author: "alice", now: c.now, registry });
    const exp = await live.log("better-experiment", async (e) => {
      e.logArtifact("features", [0, 1, 2, 3], { handler: "json", indent: 4 });
    });
    const repo2 = await Repository.open(repoFile, { now: c.now });
    const pending = await exp.promoteArtifact(repo2, "features");
    expectEqual((await Repository.open(repoFile, { mode: "r", now: c.now })).versions("features").length, 1, "not saved yet");
    await repo2.save();
    expectEqual(pending.version, 1, "second version");
    expectEqual(await (await Repository.open(repoFile, { mode: "r", now: c.now })).loadArtifact("features"), [0, 1, 2, 3], "latest");
    await live.save();
    say("promoted from an unsaved experiment: nothing was written until repository.save(), then features v1 = [0, 1, 2, 3]");
  },
};
