/**
 * @lazyscribe/handlers-onnx — the `onnx` artifact handler, file-compatible
 * with Python's lazyscribe-onnx: load a model a Python pipeline logged as an
 * onnxruntime-node `InferenceSession`.
 *
 * @example
 * import { registerHandler } from "lazyscribe";
 * import { onnxHandler } from "@lazyscribe/handlers-onnx";
 * registerHandler(onnxHandler);
 */
import type { ArtifactHandler } from "@lazyscribe/core";
import { onnxHandler, type OnnxReadOptions } from "./onnx.js";

// The options of `onnx` (it takes no writer options), so
// `loadArtifact(name, { as: "sesion" })` is a compile error wherever this package is installed.
// Pick: the reader schema passes unknown keys through, so its input type has an index signature.
declare module "@lazyscribe/core" {
  interface HandlerWriteOptionsMap {
    onnx: object;
  }
  interface HandlerReadOptionsMap {
    onnx: Pick<OnnxReadOptions, "as" | "sessionOptions">;
  }
}

export { onnxHandler, OnnxReadOptionsSchema, type OnnxModelInput, type OnnxReadOptions } from "./onnx.js";
export { describeOnnxModel, type OnnxModelDescription, type OnnxValueInfo } from "./describeOnnxModel.js";
export { HandlerError, OnnxFormatError } from "./errors.js";

/**
 * The handlers this package provides, under the name every lazyscribe
 * handler package exports: the `lazyscribe` CLI registers them when the
 * package is installed.
 */
export const lazyscribeHandlers: ReadonlyArray<ArtifactHandler> = Object.freeze([onnxHandler as ArtifactHandler]);
