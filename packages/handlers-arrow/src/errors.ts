import { ArtifactLogError } from "@lazyscribe/core";

/**
 * A value handed to `logArtifact` that a handler cannot write (not an Arrow
 * table, rows or columns; a column of mixed types; an unknown option).
 * Thrown at log time, so nothing is logged and nothing is written.
 *
 * @example
 * try { repo.logArtifact("features", 42, { handler: "parquet" }); }
 * catch (err) { if (isLazyscribeError(err, "HANDLER_VALUE")) ... }
 */
export class HandlerError extends ArtifactLogError {
  override readonly code: string = "HANDLER_VALUE";
}

/** Why a stored table file could not be read. */
export type TableFormatProblem = "not-parquet" | "truncated" | "codec" | "ragged" | "invalid";

/**
 * A stored parquet or CSV file that cannot be read. `loadArtifact` reports it
 * as an `ArtifactLoadError` (code `ARTIFACT_LOAD`) naming the artifact,
 * version and file, with this error as its `cause`; `problem` says what was
 * wrong. (It carries no `code` of its own on purpose: the repository then
 * adds the artifact's name and version to the message.)
 */
export class TableFormatError extends Error {
  constructor(
    readonly problem: TableFormatProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "TableFormatError";
  }
}
