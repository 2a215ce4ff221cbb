import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Repository, createHandlerRegistry, isLazyscribeError, type ArtifactLoadError } from "lazyscribe";
import { Tensor, type InferenceSession } from "onnxruntime-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HandlerError, OnnxFormatError, describeOnnxModel, onnxHandler } from "./index.js";

// Vendored copy of ../shared/fixtures/lazyscribe-onnx (see fixtures/README.md).
const FIXTURE = join(import.meta.dirname, "..", "..", "..", "fixtures", "lazyscribe-onnx");
const expected = JSON.parse(readFileSync(join(FIXTURE, "expected.json"), "utf8")) as { input: string; output: string; X: number[][]; Y: number[][]; opset: number; ir_version: number };
const MODEL = join(FIXTURE, "dense-relu", "dense-relu-20261202091800.onnx");
const handlers = createHandlerRegistry([onnxHandler]);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lz-onnx-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(session: InferenceSession): Promise<number[][]> {
  const x = new Tensor("float32", Float32Array.from(expected.X.flat()), [expected.X.length, expected.X[0]!.length]);
  const out = (await session.run({ [expected.input]: x }))[expected.output]!;
  const [rows, cols] = out.dims as [number, number];
  const data = Array.from(out.data as Float32Array);
  return Array.from({ length: rows }, (_, i) => data.slice(i * cols, (i + 1) * cols));
}

function expectClose(actual: number[][], wanted: number[][]): void {
  expect(actual.length).toBe(wanted.length);
  actual.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(wanted[i]![j]!, 6)));
}

describe("a repository written by Python lazyscribe-onnx", () => {
  it("loads as an inference session whose outputs match numpy's", async () => {
    cpSync(FIXTURE, dir, { recursive: true });
    const repo = await Repository.open(join(dir, "repository.json"), { mode: "r", handlers });
    const session = await repo.loadArtifact<InferenceSession>("dense-relu");
    expect(session.inputNames).toEqual([expected.input]);
    expectClose(await run(session), expected.Y);
    await session.release();
  });

  it("describes inputs, outputs and opset from the file alone", () => {
    const d = describeOnnxModel(readFileSync(MODEL));
    expect(d.irVersion).toBe(expected.ir_version);
    expect(d.opsets).toEqual([{ domain: "", version: expected.opset }]);
    expect(d.inputs).toEqual([{ name: "X", type: "float32", shape: ["batch", 2] }]);
    expect(d.outputs).toEqual([{ name: "Y", type: "float32", shape: ["batch", 4] }]);
  });

  it("loads the raw bytes with { as: 'bytes' }", async () => {
    cpSync(FIXTURE, dir, { recursive: true });
    const repo = await Repository.open(join(dir, "repository.json"), { mode: "r", handlers });
    const bytes = await repo.loadArtifact<Uint8Array>("dense-relu", { as: "bytes" });
    expect(Buffer.from(bytes).equals(readFileSync(MODEL))).toBe(true);
  });
});

describe("models logged from Node", () => {
  it("are the model's bytes exactly, with Python's fname and no extra manifest field; Python's onnx loads them", async () => {
    const repo = await Repository.open(join(dir, "repository.json"), { mode: "w", handlers, now: () => new Date("2026-12-02T09:18:00Z") });
    repo.logArtifact("Dense ReLU", readFileSync(MODEL), { handler: "onnx" });
    repo.logArtifact("wrapped", { serializeBinary: () => new Uint8Array(readFileSync(MODEL)) }, { handler: "onnx" });
    await repo.save();
    const entry = JSON.parse(readFileSync(join(dir, "repository.json"), "utf8"))[0];
    expect(Object.keys(entry).sort()).toEqual(["created_at", "expiry", "fname", "handler", "name", "sha256", "size", "version"]);
    expect(entry).toMatchObject({ fname: "dense-relu-20261202091800.onnx", handler: "onnx" });
    const path = join(dir, "Dense ReLU", entry.fname);
    expect(readFileSync(path).equals(readFileSync(MODEL))).toBe(true);
    const py = execFileSync(
      "/usr/bin/python3",
      ["-c", "import sys, onnx; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m); print(m.opset_import[0].version, [i.name for i in m.graph.input])", path],
      { encoding: "utf8" },
    );
    expect(py.trim()).toBe("13 ['X']");
    expectClose(await run(await repo.loadArtifact<InferenceSession>("wrapped")), expected.Y);
  });

  it("refuses values that are not a model at log time: nothing logged", async () => {
    const repo = await Repository.open(join(dir, "repository.json"), { mode: "w", handlers });
    for (const bad of [42, "model.onnx", null, { weights: [1] }, new TextEncoder().encode("not a model at all"), new Uint8Array([0x08])]) {
      expect(() => repo.logArtifact("model", bad, { handler: "onnx" })).toThrow(HandlerError);
    }
    // @ts-expect-error -- onnx takes no writer options: a compile error, and JavaScript callers get HandlerError
    expect(() => repo.logArtifact("model", readFileSync(MODEL), { handler: "onnx", opset: 13 })).toThrow(/no write options/);
    expect(repo.has("model")).toBe(false);
  });
});

describe("stored files that are not models", () => {
  it.each([
    ["text", new TextEncoder().encode("id,name\n1,a\n")],
    ["truncated", new Uint8Array(readFileSync(MODEL)).subarray(0, 60)],
  ])("%s → ArtifactLoadError naming artifact and version, cause OnnxFormatError", async (_what, bytes) => {
    cpSync(FIXTURE, dir, { recursive: true });
    writeFileSync(join(dir, "dense-relu", "dense-relu-20261202091800.onnx"), bytes);
    const repo = await Repository.open(join(dir, "repository.json"), { mode: "r", handlers });
    const err = (await repo.loadArtifact("dense-relu").catch((e: unknown) => e)) as ArtifactLoadError;
    expect(isLazyscribeError(err, "ARTIFACT_LOAD")).toBe(true);
    expect(err.message).toMatch(/"dense-relu" version 0 \(dense-relu-20261202091800\.onnx\): not an ONNX model/);
    expect(err.cause).toBeInstanceOf(OnnxFormatError);
  });
});
