/**
 * @lazyscribe/experiments — projects, experiments, tests, promotion to
 * repositories, merging and cross-project dependencies, in the on-disk
 * format of Python lazyscribe 2.x (`project.json` + one folder per
 * experiment).
 *
 * @example
 * import { Project } from "@lazyscribe/experiments";
 * const project = await Project.open("project.json", { mode: "w", author: "alice" });
 * await project.log("my-experiment", async (exp) => exp.logMetric("accuracy", 0.9));
 * await project.save();
 */
export { Project } from "./Project.js";
export { Experiment, type Awaitable, type ExperimentDependency } from "./Experiment.js";
export { Test } from "./Test.js";
export { ProjectRegistry, registry } from "./ProjectRegistry.js";
export { ExperimentNotFoundError, DependencyError } from "./errors.js";
export type { ProjectOptions, ArtifactLogOptions, ArtifactLogBaseOptions, DynamicArtifactLogOptions, ArtifactLoadOptions, TestLogOptions, DependencyOptions } from "./options.js";
export type { ExperimentEntry, TestEntry, ProjectFile } from "./projectFile.js";
