// Python-compatibility and bad-input cases of issue 11 ("Hardening").
import { describe, expect, it } from "vitest";
import { MemoryStorage } from "../storage/MemoryStorage.js";
import { fakeClock, openMem } from "../testSupport.js";

const code = (c: string) => expect.objectContaining({ code: c });
const text = async (s: MemoryStorage, key = "repository.json") => new TextDecoder().decode(await s.read(key));
const entry = (over: Record<string, unknown> = {}) => ({
  created_at: "2025-01-01T00:00:00", expiry: null, fname: "a-20250101000000.json", handler: "json", name: "a", version: 0, ...over,
});

describe("times outside years 0100..9999", () => {
  it("reads years 0000-0099 as those years and writes them back unchanged", async () => {
    const storage = new MemoryStorage();
    const body = JSON.stringify([entry({ created_at: "0050-06-01T00:00:00", expiry: "0051-01-01T00:00:00", fname: "a.json" })], null, 4);
    await storage.write("repository.json", body);
    await storage.write("a/a.json", "[1]");
    const r = await openMem(storage, "r", fakeClock("2025-01-01T00:00:00").now);
    const meta = r.getArtifactMetadata("a", { version: 0 });
    expect(meta.createdAt.getUTCFullYear()).toBe(50);
    expect(meta.createdAt.toISOString()).toBe("0050-06-01T00:00:00.000Z");
    expect(meta.expiry!.toISOString()).toBe("0051-01-01T00:00:00.000Z");
    expect(r.getArtifactMetadata("a", { version: "0050-12-01T00:00:00", match: "asof" }).version).toBe(0);
    const w = await openMem(storage, "w+", fakeClock("2025-01-01T00:00:00").now);
    w.setArtifactExpiry("a", 0, "0052-01-01T00:00:00");
    await w.save();
    expect(JSON.parse(await text(storage))[0]).toMatchObject({ created_at: "0050-06-01T00:00:00", expiry: "0052-01-01T00:00:00" });
  });

  it("refuses an expiry or creation time Python's datetime cannot hold, writing nothing", async () => {
    const storage = new MemoryStorage();
    const w = await openMem(storage, "w", fakeClock("2025-01-01T00:00:00").now);
    w.logArtifact("a", [1], { handler: "json" });
    for (const bad of ["0000-01-01T00:00:00", new Date("+010000-01-01T00:00:00Z"), new Date(-62135596801000)]) {
      expect(() => w.setArtifactExpiry("a", 0, bad)).toThrow(code("INVALID_VERSION"));
      expect(() => w.logArtifact("b", [1], { handler: "json", createdAt: bad })).toThrow(code("INVALID_VERSION"));
    }
    expect(w.getArtifactMetadata("a", { version: 0 }).expiry).toBeNull();
    expect(w.has("b")).toBe(false);
    await w.save();
    const r = await openMem(storage, "r", fakeClock("2025-01-01T00:00:00").now);
    expect(r.versions("a")).toHaveLength(1);
  });
});
