// The CLI picks up installed handler packages (@lazyscribe/handlers-arrow,
// @lazyscribe/handlers-onnx): show describes tables and models, cat streams
// their files, diff refuses binary ones clearly; without the packages it
// says what to install.
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { arrowHandlers } from "@lazyscribe/handlers-arrow";
import { Repository, createHandlerRegistry } from "lazyscribe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI, cleanup, json, run, tempDir } from "./testing/cli.js";

const ONNX_FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../fixtures/lazyscribe-onnx");

let dir: string;
beforeEach(async () => {
  dir = tempDir();
  cpSync(ONNX_FIXTURE, path.join(dir, "onnx"), { recursive: true });
  const repo = await Repository.open(path.join(dir, "repository.json"), { mode: "w", handlers: createHandlerRegistry(arrowHandlers), now: () => new Date("2025-01-20T13:23:30Z") });
  repo.logArtifact("features", [{ id: 1n, name: "a" }, { id: 2n, name: null }], { handler: "parquet" });
  repo.logArtifact("features", { id: [3n], name: ["c"] }, { handler: "parquet", createdAt: "2025-01-21T00:00:00" });
  repo.logArtifact("scores", [{ id: 1n, score: 0.5 }], { handler: "csv" });
  await repo.save();
});
afterEach(() => cleanup(dir));

describe("with the handler packages installed", () => {
  it("show describes a parquet version: rows, columns, schema", () => {
    const r = run(["show", "features", "--version", "0"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rows\s+2$/m);
    expect(r.stdout).toMatch(/^columns\s+2$/m);
    expect(r.stdout).toMatch(/^schema\s+id: Int64, name: Utf8$/m);
  });

  it("show --json describes a csv version", () => {
    const r = run(["show", "scores", "--json"], { cwd: dir });
    expect(json(r).content).toEqual({ rows: 1, columns: 2, schema: [{ name: "id", type: "Int64", nullable: true }, { name: "score", type: "Float64", nullable: true }] });
  });

  it("show describes the Python-written onnx model: opset, inputs, outputs", () => {
    const r = run(["show", "dense-relu", "--repo", "onnx/repository.json"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^opsets\s+ai\.onnx 13$/m);
    expect(r.stdout).toMatch(/^inputs\s+X: float32\[batch, 2\]$/m);
    expect(r.stdout).toMatch(/^outputs\s+Y: float32\[batch, 4\]$/m);
  });

  it("cat writes the file's bytes", () => {
    const r = run(["cat", "dense-relu", "--repo", "onnx/repository.json"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdoutBytes.equals(readFileSync(path.join(ONNX_FIXTURE, "dense-relu", "dense-relu-20261202091800.onnx")))).toBe(true);
  });

  it("diff refuses binary handlers clearly", () => {
    const r = run(["diff", "features", "0", "1"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot diff "features": version 0 \(features-20250120132330\.parquet\) is a binary parquet file, and diff compares text artifacts only/);
  });
});

describe("without them", () => {
  // The bundled CLI copied alone to a folder with no node_modules anywhere near.
  function lonelyCli(): string {
    const cli = path.join(dir, "lazyscribe.mjs");
    copyFileSync(CLI, cli);
    return cli;
  }

  it("cat writes raw bytes without the package; show still shows metadata; diff still refuses clearly", () => {
    const cli = lonelyCli();
    const spawn = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
      // pnpm exec sets NODE_PATH to the workspace's packages: drop it so nothing is found.
      const { NODE_PATH: _ignored, ...env } = process.env;
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: "utf8", env });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    // cat copies the file's bytes and needs no handler (issue 14): a parquet file starts and ends with PAR1.
    const cat = spawnSync(process.execPath, [cli, "cat", "features"], { cwd: dir, env: (({ NODE_PATH: _n, ...e }) => e)(process.env) });
    expect(cat.status).toBe(0);
    expect(cat.stdout.subarray(0, 4).toString("latin1")).toBe("PAR1");
    const show = spawn(["show", "features"]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^handler\s+parquet$/m);
    expect(show.stdout).not.toMatch(/^rows/m);
    const diff = spawn(["diff", "features", "0", "1"]);
    expect(diff.stderr).toMatch(/is a binary parquet file, and diff compares text artifacts only/);
  });
});
