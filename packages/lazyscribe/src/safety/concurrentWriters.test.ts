import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Project, ProjectRegistry, Repository } from "../index.js";

const WORKER = join(__dirname, "../../test-workers/repoWriter.mjs");
const PROJECT_WORKER = join(__dirname, "../../test-workers/projectWriter.mjs");

function run(args: string[], worker = WORKER): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [worker, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("concurrent writers (separate processes)", () => {
  it("8 processes × 25 saves keep all 200 versions, numbered 0..199, each loading its own payload", async () => {
    dir = mkdtempSync(join(tmpdir(), "lz-concurrent-"));
    const location = join(dir, "repository.json");
    const results = await Promise.all(Array.from({ length: 8 }, (_, w) => run([location, String(w), "25"])));
    for (const r of results) expect(r.stderr).toBe("");
    for (const r of results) expect(r.code).toBe(0);

    const entries = JSON.parse(readFileSync(location, "utf8")) as Array<{ name: string; version: number; fname: string }>;
    expect(entries).toHaveLength(200);
    expect(entries.map((e) => e.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(new Set(entries.map((e) => e.fname)).size).toBe(200);

    // What each writer was told at commit time matches what is stored.
    const told = results.flatMap((r) => r.stdout.trim().split("\n")).map((l) => l.split(":").map(Number));
    const repo = await Repository.open(location, { mode: "r" });
    const seen = new Set<string>();
    for (const [writer, round, version] of told) {
      const value = await repo.loadArtifact<{ writer: number; round: number }>("shared", { version });
      expect(value).toMatchObject({ writer, round });
      seen.add(`${writer}:${round}`);
    }
    expect(seen.size).toBe(200);
    expect(await repo.verify()).toEqual([]);
  });

  it("8 processes × 10 experiments into one project keep all 80, and every artifact loads", async () => {
    dir = mkdtempSync(join(tmpdir(), "lz-concurrent-project-"));
    const location = join(dir, "project.json");
    const results = await Promise.all(Array.from({ length: 8 }, (_, w) => run([location, String(w), "10"], PROJECT_WORKER)));
    for (const r of results) expect(r.stderr).toBe("");
    for (const r of results) expect(r.code).toBe(0);
    const project = await Project.open(location, { mode: "r", registry: new ProjectRegistry() });
    expect(project.experiments).toHaveLength(80);
    for (let w = 0; w < 8; w++) {
      for (let i = 0; i < 10; i++) {
        const exp = project.get(`w${w}-e${i}`);
        expect(await exp.loadArtifact("payload")).toEqual({ writer: w, i });
        expect(exp.tests).toHaveLength(1);
        expect(await exp.tests[0]!.loadArtifact("detail")).toBe(`writer ${w} experiment ${i}`);
      }
    }
  });
});
