import { cpSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeTable, lazyscribeHandlers as arrowHandlers, type TableDescription } from "@lazyscribe/handlers-arrow";
import { lazyscribeHandlers as onnxHandlers } from "@lazyscribe/handlers-onnx";
import { Table, tableFromArrays } from "apache-arrow";
import { Repository, registerHandler } from "lazyscribe";
import { Tensor, type InferenceSession } from "onnxruntime-node";
import { clock, expectEqual, expectError, type Example } from "./story.js";

// A repository written by Python lazyscribe with lazyscribe-onnx (vendored from ../shared/fixtures).
const PYTHON_REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "fixtures", "lazyscribe-onnx");

/** README "Models and tables": use the model and tables a Python pipeline logged. */
export const modelsAndTables: Example = {
  title: "Models and tables: a Python-trained ONNX model as an inference session, tables as Arrow",
  async run(dir, say) {
    // Handler packages register like any third-party handler.
    for (const h of [...arrowHandlers, ...onnxHandlers]) registerHandler(h);

    cpSync(PYTHON_REPO, dir, { recursive: true });
    const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as { X: number[][]; Y: number[][] };
    const python = await Repository.open(join(dir, "repository.json"), { mode: "r" });
    const session = await python.loadArtifact<InferenceSession>("dense-relu");
    const X = new Tensor("float32", Float32Array.from(expected.X.flat()), [3, 2]);
    const { Y } = await session.run({ X });
    const got = Array.from(Y!.data as Float32Array);
    expectEqual(got.every((v, i) => Math.abs(v - expected.Y.flat()[i]!) < 1e-6), true, "onnx outputs match numpy's");
    say(`loaded the Python-logged "dense-relu" as an InferenceSession; Y[0] = [${got.slice(0, 4).map((v) => v.toFixed(3)).join(", ")}] as numpy computed`);
    await session.release();

    const c = clock("2025-03-01T09:00:00");
    const repo = await Repository.open(join(dir, "tables", "repository.json"), { mode: "w", now: c.now });
    const features = tableFromArrays({ id: new BigInt64Array([1n, 2n, 9007199254740993n]), score: new Float64Array([0.25, NaN, 1.5]) });
    repo.logArtifact("features", features, { handler: "parquet", compression: "zstd" });
    repo.logArtifact("scores", [{ id: 1n, passed: true }, { id: 2n, passed: null }], { handler: "csv" });
    await expectError(() => repo.logArtifact("oops", 42, { handler: "parquet" }), "HANDLER_VALUE", "a number is not a table");
    await repo.save();
    say("logged features (parquet, zstd) and scores (csv); a number was refused at log time with HANDLER_VALUE");

    const r = await Repository.open(join(dir, "tables", "repository.json"), { mode: "r" });
    const table = await r.loadArtifact<Table>("features");
    expectEqual(table.getChild("id")!.get(2) === 9007199254740993n, true, "int64 stays exact");
    expectEqual(Number.isNaN(table.getChild("score")!.get(1)), true, "NaN survives parquet");
    const scores = describeTable(await r.loadArtifact<Table>("scores"));
    expectEqual<TableDescription>(scores, {
      rows: 2,
      columns: 2,
      schema: [{ name: "id", type: "Int64", nullable: true }, { name: "passed", type: "Bool", nullable: true }],
    }, "scores schema");
    say(`features: id[2] = ${String(table.getChild("id")!.get(2))}n (exact int64); scores: ${scores.schema.map((f) => `${f.name} ${f.type}`).join(", ")}`);
  },
};
