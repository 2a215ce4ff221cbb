import { MemoryStorage, Repository } from "@lazyscribe/core/internal";
import { describe, expect, it } from "vitest";
import { createRelease } from "./index.js";
import { clockAt } from "./test/fixtures.js";
import { memoryRepository } from "./test/memoryRepo.js";

const versions = [
  { name: "zeta", value: 1, at: "2025-01-01T00:00:00" },
  { name: "alpha", value: 1, at: "2025-01-02T00:00:00" },
  { name: "alpha", value: 2, at: "2025-01-03T00:00:00", expiry: "2025-01-10T00:00:00" },
  { name: "gone", value: 1, at: "2025-01-04T00:00:00", expiry: "2025-01-05T00:00:00" },
];

async function open(now: string, mode: "r" | "w+" = "r"): Promise<Repository> {
  const storage = await memoryRepository(versions);
  return Repository.open("repository.json", { storage, mode, now: clockAt(now) });
}

describe("createRelease", () => {
  it("takes the latest valid version of each name at the repository's clock, sorted by name", async () => {
    const repo = await open("2025-01-04T12:00:00");
    const r = createRelease(repo, "v1");
    expect(r.tag).toBe("v1");
    expect(r.artifacts).toEqual([["alpha", 1], ["gone", 0], ["zeta", 0]]);
    expect(r.createdAt.toISOString()).toBe("2025-01-04T12:00:00.000Z");
  });

  it("leaves out names whose every version is expired (Python raises instead)", async () => {
    const repo = await open("2025-02-01T00:00:00");
    expect(createRelease(repo, "v2").artifacts).toEqual([["alpha", 0], ["zeta", 0]]);
  });

  it("explicit now: a Date, a time string or a clock, kept at second precision", async () => {
    const repo = await open("2025-02-01T00:00:00");
    expect(createRelease(repo, "a", { now: new Date("2025-01-04T12:00:00.900Z") }).createdAt.toISOString()).toBe("2025-01-04T12:00:00.000Z");
    expect(createRelease(repo, "b", { now: "2025-01-04T12:00:00" }).artifacts).toEqual([["alpha", 1], ["gone", 0], ["zeta", 0]]);
    expect(createRelease(repo, "c", { now: () => new Date("2025-01-09T23:59:59Z") }).artifacts).toContainEqual(["alpha", 1]);
    expect(createRelease(repo, "d", { now: "2025-01-10T00:00:00" }).artifacts).toContainEqual(["alpha", 0]);
  });

  it("an empty repository gives an empty release", async () => {
    const repo = await Repository.open("repository.json", { storage: new MemoryStorage(), mode: "r", now: clockAt("2025-01-01T00:00:00") });
    expect(createRelease(repo, "v0").artifacts).toEqual([]);
  });

  it("needs a read-only repository with nothing unsaved → ReadOnlyError", async () => {
    const writable = await open("2025-01-04T12:00:00", "w+");
    expect(() => createRelease(writable, "v1")).toThrow(
      expect.objectContaining({ code: "READ_ONLY", name: "ReadOnlyError", message: expect.stringMatching(/mode: "r"/) }),
    );
    writable.logArtifact("beta", 1, { handler: "json" });
    expect(() => createRelease(writable, "v1")).toThrow(expect.objectContaining({ code: "READ_ONLY" }));
    expect(() => createRelease({} as never, "v1")).toThrow(expect.objectContaining({ code: "READ_ONLY" }));
  });

  it("rejects a bad tag or time", async () => {
    const repo = await open("2025-01-04T12:00:00");
    expect(() => createRelease(repo, "")).toThrow(/tag must not be empty/);
    expect(() => createRelease(repo, "v1", { now: "noon" })).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
    expect(() => createRelease(repo, "v1", { now: 5 as never })).toThrow(/now must be/);
  });
});
