import { describe, expect, it } from "vitest";
import { storageConformanceSuite } from "../testing.js";
import { MemoryStorage, memoryStorageFor } from "./MemoryStorage.js";

storageConformanceSuite("MemoryStorage", () => ({ storage: new MemoryStorage() }));

describe("memoryStorageFor", () => {
  it("returns one shared store per name", async () => {
    const a = memoryStorageFor("conformance-shared");
    expect(memoryStorageFor("conformance-shared")).toBe(a);
    expect(memoryStorageFor("conformance-other")).not.toBe(a);
    expect(a.description).toBe("memory://conformance-shared");
  });
});
