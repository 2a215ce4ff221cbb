import { ArtifactLogError } from "@lazyscribe/core";

/**
 * A value handed to `logArtifact` that the onnx handler cannot write (not
 * bytes or a model object that serializes itself, or bytes that are not an
 * ONNX model). Thrown at log time, so nothing is logged or written.
 */
export class HandlerError extends ArtifactLogError {
  override readonly code: string = "HANDLER_VALUE";
}

/**
 * A stored file that is not a loadable ONNX model. `loadArtifact` reports it
 * as an `ArtifactLoadError` (code `ARTIFACT_LOAD`) naming the artifact,
 * version and file, with this error as its `cause`. (No `code` of its own on
 * purpose: the repository then adds the artifact's name and version.)
 */
export class OnnxFormatError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OnnxFormatError";
  }
}
