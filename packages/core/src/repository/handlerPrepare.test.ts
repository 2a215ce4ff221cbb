import { describe, expect, it } from "vitest";
import { ArtifactLogError } from "../errors.js";
import type { ArtifactHandler } from "../handlers/ArtifactHandler.js";
import { MemoryStorage } from "../storage/MemoryStorage.js";
import { Repository } from "./Repository.js";
import { fakeClock, testRegistry } from "../testSupport.js";

/** Numbers only, stored as text; prepare refuses anything else and snapshots arrays. */
const numbers: ArtifactHandler<number[]> = {
  alias: "numbers",
  suffix: "txt",
  binary: false,
  prepare(value) {
    if (!Array.isArray(value) || !value.every((v) => typeof v === "number")) throw new TypeError("not an array of numbers");
    return [...value];
  },
  write: (v) => v.join("\n"),
  read: async (src) => (await src.text()).split("\n").map(Number),
};

describe("ArtifactHandler.prepare", () => {
  it("refuses a bad value at log time: typed error, nothing logged, nothing written", async () => {
    const storage = new MemoryStorage("memory://");
    const handlers = testRegistry().register(numbers);
    const repo = await Repository.open("repository.json", { storage, mode: "w", now: fakeClock("2025-01-01T00:00:00").now, handlers });
    expect(() => repo.logArtifact("xs", ["a"], { handler: "numbers" })).toThrow(ArtifactLogError);
    expect(() => repo.logArtifact("xs", ["a"], { handler: "numbers" })).toThrow(/handler "numbers" cannot write "xs": not an array of numbers/);
    expect(repo.has("xs")).toBe(false);
    expect(repo.dirty).toBe(false);
  });

  it("what prepare returns is what write gets (a change to the value after logging is not saved)", async () => {
    const storage = new MemoryStorage("memory://");
    const handlers = testRegistry().register(numbers);
    const repo = await Repository.open("repository.json", { storage, mode: "w", now: fakeClock("2025-01-01T00:00:00").now, handlers });
    const value = [1, 2];
    repo.logArtifact("xs", value, { handler: "numbers" });
    value.push(3);
    await repo.save();
    expect(await repo.loadArtifact("xs")).toEqual([1, 2]);
  });
});
