import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Repository } from "./index.js";

const FIXTURE = join(__dirname, "../../../fixtures/lazyscribe-2.2.1/repository");

interface Query {
  query: { kind: "metadata" | "load" | "filter"; name?: string; version?: unknown; match?: "exact" | "asof" };
  now: string;
  ok?: unknown;
  error?: string;
}
const expected = JSON.parse(readFileSync(join(FIXTURE, "expected.json"), "utf8")) as Query[];

// fixtures/README.md: how Python's exceptions map to ours.
function mapError(q: Query): string {
  if (q.error === "ValueError") return typeof q.query.version === "number" && q.query.match === "asof" ? "INVALID_VERSION" : "ARTIFACT_NOT_FOUND";
  return { VersionNotFoundError: "VERSION_NOT_FOUND", InvalidVersionError: "INVALID_VERSION" }[q.error!]!;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lz-fixture-"));
  cpSync(FIXTURE, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("Python lazyscribe 2.2.1 repository", () => {
  it.each(expected.map((q, i) => [i, q] as const))("answers expected.json query %i like the reference", async (_i, q) => {
    const repo = await Repository.open(join(dir, "repository.json"), { mode: "r", now: () => new Date(q.now + "Z") });
    const { kind, name, version, match } = q.query;
    const run = async (): Promise<unknown> => {
      if (kind === "metadata") {
        const m = repo.getArtifactMetadata(name!, { version: version as never, match });
        return { version: m.version, fname: m.fname, created_at: m.createdAt.toISOString().slice(0, 19) };
      }
      if (kind === "load") return repo.loadArtifact(name!, { version: version as never, match });
      const view = repo.filter(version as never);
      return view.artifacts.map((a) => [a.name, a.version]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    };
    if (q.error) await expect(run()).rejects.toMatchObject({ code: mapError(q) });
    else expect(await run()).toEqual(q.ok);
  });

  it("lists and resolves the pickle entry, and names the missing handler when loading it", async () => {
    const repo = await Repository.open(join(dir, "repository.json"), { mode: "r", now: () => new Date("2025-03-01T00:00:00Z") });
    expect(repo.getArtifactMetadata("estimator")).toMatchObject({ handler: "pickle", version: 0, extra: { python_version: "3.11" } });
    await expect(repo.loadArtifact("estimator")).rejects.toMatchObject({ code: "UNKNOWN_HANDLER", message: expect.stringContaining("pickle") });
  });

  it("rewrites the manifest keeping unknown keys, sorted keys, 4-space indent and Python times", async () => {
    const before = readFileSync(join(dir, "repository.json"), "utf8");
    const repo = await Repository.open(join(dir, "repository.json"), { mode: "w+", now: () => new Date("2025-03-01T00:00:00Z") });
    repo.setArtifactExpiry("config", 0, "2025-04-01T00:00:00");
    await repo.save();
    const after = readFileSync(join(dir, "repository.json"), "utf8");
    expect(after).toBe(before.replace(/("expiry": )null(,\n\s+"fname": "config-20250110164510.json")/, '$1"2025-04-01T00:00:00"$2'));
    expect(after).toContain('"python_version": "3.11"');
  });

  it("appends a new version after Python's without touching Python's files", async () => {
    const files = () => readdirSync(join(dir, "features")).sort();
    const before = files();
    const repo = await Repository.open(join(dir, "repository.json"), { mode: "a", now: () => new Date("2025-03-01T00:00:00Z") });
    const rec = repo.logArtifact("features", [1, 2], { handler: "json", indent: 4 });
    await repo.save();
    expect(rec.version).toBe(3);
    expect(files()).toEqual([...before, "features-20250301000000.json"].sort());
    const entries = JSON.parse(readFileSync(join(dir, "repository.json"), "utf8")) as Array<Record<string, unknown>>;
    expect(entries.at(-1)).toMatchObject({ name: "features", version: 3, created_at: "2025-03-01T00:00:00", expiry: null, handler: "json" });
    expect(entries.at(-1)!.sha256).toMatch(/^[0-9a-f]{64}$/);
    const r = await Repository.open(join(dir, "repository.json"), { mode: "r", now: () => new Date("2025-03-02T00:00:00Z") });
    expect(await r.loadArtifact("features")).toEqual([1, 2]);
  });

  it("never writes outside the repository folder", async () => {
    const outside = mkdtempSync(join(tmpdir(), "lz-outside-"));
    try {
      const repo = await Repository.open(join(dir, "repository.json"), { mode: "a" });
      for (const bad of ["../escape", join(outside, "abs")]) expect(() => repo.logArtifact(bad, 1)).toThrow(expect.objectContaining({ code: "INVALID_NAME" }));
      expect(() => repo.logArtifact("ok", 1, { fname: "../../x.json" })).toThrow(expect.objectContaining({ code: "INVALID_NAME" }));
      expect(readdirSync(outside)).toEqual([]);
      writeFileSync(join(dir, "repository.json"), JSON.stringify([{ created_at: "2025-01-01T00:00:00", expiry: null, fname: "x.json", handler: "json", name: "../../evil", version: 0 }]));
      await expect(Repository.open(join(dir, "repository.json"), { mode: "r" })).rejects.toMatchObject({ code: "MANIFEST_INVALID" });
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe("same-second versions on local disk", () => {
  it("keep separate files and load their own values (Python loses the first)", async () => {
    const now = () => new Date("2025-05-05T05:05:05Z");
    const w = await Repository.open(join(dir, "repository.json"), { mode: "a", now });
    w.logArtifact("burst", { n: 1 });
    w.logArtifact("burst", { n: 2 });
    await w.save();
    const w2 = await Repository.open(join(dir, "repository.json"), { mode: "a", now });
    w2.logArtifact("burst", { n: 3 });
    await w2.save();
    const r = await Repository.open(join(dir, "repository.json"), { mode: "r", now });
    expect(await Promise.all([0, 1, 2].map((v) => r.loadArtifact("burst", { version: v })))).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(readdirSync(join(dir, "burst")).sort()).toEqual(["burst-20250505050505-1.json", "burst-20250505050505-2.json", "burst-20250505050505.json"]);
  });
});
