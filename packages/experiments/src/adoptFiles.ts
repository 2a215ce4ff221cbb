import { PreconditionFailedError, dirnameKey, isLazyscribeError, joinKey, type StorageBackend } from "@lazyscribe/core/internal";
import type { Experiment } from "./Experiment.js";

/**
 * Copy the artifact files of an experiment adopted from another project
 * folder or backend (`append`, `merge`) into this project's folder, so its
 * entries still load after the project is reopened. Files are streamed and
 * created exclusively; a file already there is left as it is (its sha256 is
 * still checked on load). Keys written are pushed to `written` as they are
 * created, so the caller can roll back even after a failure midway.
 */
export async function adoptArtifactFiles(experiment: Experiment, storage: StorageBackend, projectKey: string, written: string[]): Promise<void> {
  const target = joinKey(dirnameKey(projectKey), experiment.slug);
  if (experiment.storage === storage && experiment.path === target) return;
  const files: Array<{ from: string; to: string }> = experiment.artifacts.map((r) => ({
    from: joinKey(experiment.path, r.fname),
    to: joinKey(target, r.fname),
  }));
  for (const t of experiment.tests) {
    const folder = t.path.slice(experiment.path.length + 1);
    for (const r of t.artifacts) files.push({ from: joinKey(t.path, r.fname), to: joinKey(target, folder, r.fname) });
  }
  for (const f of files) {
    try {
      await storage.write(f.to, await experiment.storage.readStream(f.from), { ifNoneMatch: "*" });
      written.push(f.to);
    } catch (err) {
      if (err instanceof PreconditionFailedError || isLazyscribeError(err, "PRECONDITION_FAILED")) continue;
      throw err;
    }
  }
}
