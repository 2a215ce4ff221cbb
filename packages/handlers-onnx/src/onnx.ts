import type { ArtifactHandler, ArtifactSource, HandlerReadOptions } from "@lazyscribe/core";
import type { InferenceSession } from "onnxruntime-node";
import { z } from "zod";
import { describeOnnxModel } from "./describeOnnxModel.js";
import { HandlerError, OnnxFormatError } from "./errors.js";

/** What the onnx handler writes: the serialized model, or an object that serializes itself. */
export type OnnxModelInput =
  | Uint8Array
  | ArrayBuffer
  | { serializeBinary(): Uint8Array }
  | { toBinary(): Uint8Array }
  | { SerializeToString(): Uint8Array };

/** Options of `loadArtifact(name, { ... })` for an onnx artifact. */
export const OnnxReadOptionsSchema = z
  .object({
    /** `"session"` (default): an onnxruntime-node `InferenceSession`; `"bytes"`: the model file's bytes. */
    as: z.enum(["session", "bytes"]).default("session"),
    /** Passed to `InferenceSession.create` (execution providers, threads, ...). */
    sessionOptions: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();
export type OnnxReadOptions = z.input<typeof OnnxReadOptionsSchema>;

/**
 * ONNX models (alias `onnx`, suffix `onnx`, binary), file-compatible with
 * Python's lazyscribe-onnx (`onnx.save` / `onnx.load`: the file is the
 * serialized `ModelProto`, nothing else). Writes the model's bytes — a
 * `Uint8Array`/`Buffer`/`ArrayBuffer`, or any object with
 * `serializeBinary()`, `toBinary()` or `SerializeToString()` — after checking
 * they are an ONNX model. Loads an `onnxruntime-node` `InferenceSession`
 * (a peer dependency you install), or the bytes with `{ as: "bytes" }`.
 *
 * @example
 * repo.logArtifact("model", await fs.readFile("model.onnx"), { handler: "onnx" });
 * await repo.save();
 * const session = await repo.loadArtifact<InferenceSession>("model");
 * const { Y } = await session.run({ X: new Tensor("float32", input, [1, 2]) });
 */
export const onnxHandler: ArtifactHandler<OnnxModelInput | InferenceSession> = Object.freeze({
  alias: "onnx",
  suffix: "onnx",
  binary: true,
  prepare(value: unknown, options: Record<string, unknown>): Uint8Array {
    const extra = Object.keys(options ?? {});
    if (extra.length > 0) throw new HandlerError(`the onnx handler takes no write options (got ${extra.join(", ")})`);
    const bytes = modelBytes(value);
    try {
      describeOnnxModel(bytes);
    } catch (err) {
      throw new HandlerError(`cannot log this value as an ONNX model: ${(err as Error).message}`, { cause: err });
    }
    return bytes;
  },
  write(value: OnnxModelInput): Uint8Array {
    return modelBytes(value);
  },
  async read(source: ArtifactSource, options: HandlerReadOptions): Promise<InferenceSession | Uint8Array> {
    const parsed = OnnxReadOptionsSchema.safeParse(stripReserved(options));
    if (!parsed.success) throw new HandlerError(`invalid onnx read option: ${parsed.error.issues[0]!.message}`);
    const bytes = await source.bytes();
    describeOnnxModel(bytes); // a clear OnnxFormatError before onnxruntime sees the bytes
    if (parsed.data.as === "bytes") return bytes;
    const ort = await loadOnnxRuntime();
    try {
      return await ort.InferenceSession.create(bytes, parsed.data.sessionOptions as InferenceSession.SessionOptions | undefined);
    } catch (err) {
      throw new OnnxFormatError(`onnxruntime cannot load the model: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
  },
  async describe(source: ArtifactSource): Promise<Record<string, unknown>> {
    return { ...describeOnnxModel(await source.bytes()) };
  },
});

function modelBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (typeof value === "object" && value !== null) {
    for (const method of ["serializeBinary", "toBinary", "SerializeToString"] as const) {
      const fn = (value as Record<string, unknown>)[method];
      if (typeof fn === "function") {
        const out: unknown = fn.call(value);
        if (out instanceof Uint8Array) return out;
        throw new HandlerError(`${method}() returned ${typeof out}, not a Uint8Array`);
      }
    }
  }
  throw new HandlerError(
    `the onnx handler writes a serialized model (Uint8Array, Buffer, ArrayBuffer) or an object with serializeBinary(), toBinary() or SerializeToString(), not ${value === null ? "null" : typeof value === "object" ? `a ${(value as object).constructor?.name ?? "object"}` : `a ${typeof value}`}`,
  );
}

function stripReserved(options: HandlerReadOptions): Record<string, unknown> {
  const { environment: _e, validate: _v, ...rest } = options ?? {};
  return rest;
}

type OnnxRuntime = typeof import("onnxruntime-node");

async function loadOnnxRuntime(): Promise<OnnxRuntime> {
  try {
    return (await import("onnxruntime-node")) as OnnxRuntime;
  } catch (err) {
    throw new HandlerError(
      `loading an onnx artifact as an inference session needs the peer dependency onnxruntime-node: install it (npm users: ONNXRUNTIME_NODE_INSTALL=skip npm i onnxruntime-node), or load the bytes with { as: "bytes" } (${(err as Error)?.message ?? String(err)})`,
      { cause: err },
    );
  }
}
