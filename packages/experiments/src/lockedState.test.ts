import { isLazyscribeError, MemoryStorage } from "@lazyscribe/core/internal";
import { describe, expect, it } from "vitest";
import { Project } from "./Project.js";

describe("a project's mode and location are fixed at open()", () => {
  it("assigning them (as plain JS would) throws READ_ONLY; a project opened r stays read-only", async () => {
    const storage = new MemoryStorage();
    const p = await Project.open("project.json", { storage, mode: "r", author: "alice" });
    const loose = p as unknown as Record<string, unknown>;
    for (const key of ["mode", "storage", "key", "location", "author"]) {
      let thrown: unknown;
      try {
        loose[key] = "w+";
      } catch (err) {
        thrown = err;
      }
      expect(isLazyscribeError(thrown, "READ_ONLY"), key).toBe(true);
    }
    expect(p.mode).toBe("r");
    await expect((async () => p.save())()).rejects.toThrow(/read-only|mode "r"/);
    expect(await storage.stat("project.json")).toBeNull();
  });
});
