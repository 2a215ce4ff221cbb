import { LazyscribeError } from "@lazyscribe/core/internal";

/**
 * No experiment in a project has the requested slug or short slug
 * (Python lazyscribe raises `KeyError`). Code `EXPERIMENT_NOT_FOUND`.
 *
 * @example
 * try { project.get("nope"); }
 * catch (err) { if (isLazyscribeError(err, "EXPERIMENT_NOT_FOUND")) ... }
 */
export class ExperimentNotFoundError extends LazyscribeError {
  override readonly code: string = "EXPERIMENT_NOT_FOUND";
}

/**
 * A dependency (`"<project location or registry name>|<slug>"`) could not be
 * resolved: no registered project of that name, no project file at any of the
 * tried locations, no experiment with that slug, or a circular reference.
 * Code `DEPENDENCY_UNRESOLVED`; `reference` is the stored string.
 *
 * @example
 * try { await Project.open("project.json", { mode: "r" }); }
 * catch (err) { if (err instanceof DependencyError) console.error(err.reference); }
 */
export class DependencyError extends LazyscribeError {
  override readonly code: string = "DEPENDENCY_UNRESOLVED";
  constructor(
    readonly reference: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
