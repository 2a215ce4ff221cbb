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
import { onnxHandler } from "./onnx.js";

export { onnxHandler, OnnxReadOptionsSchema, type OnnxModelInput, type OnnxReadOptions } from "./onnx.js";
export { describeOnnxModel, type OnnxModelDescription, type OnnxValueInfo } from "./describeOnnxModel.js";
export { HandlerError, OnnxFormatError } from "./errors.js";

/**
 * The handlers this package provides, under the name every lazyscribe
 * handler package exports: the `lazyscribe` CLI registers them when the
 * package is installed.
 */
export const lazyscribeHandlers: ReadonlyArray<ArtifactHandler> = Object.freeze([onnxHandler as ArtifactHandler]);
