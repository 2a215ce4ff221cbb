import { describe, expect, it } from "vitest";
import { isLazyscribeError } from "../errors.js";
import { HandlerRegistry } from "../handlers/HandlerRegistry.js";
import { MemoryStorage } from "../storage/MemoryStorage.js";
import { Repository } from "./Repository.js";

const text = { alias: "text", suffix: "txt", binary: false, write: (v: unknown) => new TextEncoder().encode(String(v)), read: async (s: { text(): Promise<string> }) => s.text() };

async function seeded(storage: MemoryStorage): Promise<void> {
  const w = await Repository.open("repository.json", { mode: "w", storage, handlers: new HandlerRegistry([text]) });
  w.logArtifact("notes", "one", { handler: "text" });
  await w.save();
}

describe("state that decides what may be written is fixed at open()", () => {
  it("assigning mode (as plain JS would) throws READ_ONLY, and the repository stays read-only", async () => {
    const storage = new MemoryStorage();
    await seeded(storage);
    const r = await Repository.open("repository.json", { mode: "r", storage, handlers: new HandlerRegistry([text]) });
    const loose = r as unknown as Record<string, unknown>;
    let thrown: unknown;
    try {
      loose.mode = "w+";
    } catch (err) {
      thrown = err;
    }
    expect(isLazyscribeError(thrown, "READ_ONLY")).toBe(true);
    expect((thrown as Error).message).toMatch(/Repository\.mode cannot be changed/);
    expect(r.mode).toBe("r");
    for (const key of ["storage", "manifestKey", "location", "handlers"]) expect(() => (loose[key] = "x")).toThrow(/cannot be changed/);
    expect(() => r.logArtifact("notes", "two", { handler: "text" })).toThrow(/read-only/);
  });

  it("a read-only repository never writes, even through its private save path", async () => {
    const storage = new MemoryStorage();
    await seeded(storage);
    const before = await storage.read("repository.json");
    const r = await Repository.open("repository.json", { mode: "r", storage, handlers: new HandlerRegistry([text]) });
    const loose = r as unknown as Record<string, () => Promise<void>>;
    loose.replaceOnSave = true as unknown as () => Promise<void>;
    await expect((async () => loose.commitManifest!.call(r))()).rejects.toThrow(/read-only/);
    await expect(r.save()).rejects.toThrow(/read-only/);
    expect(await storage.read("repository.json")).toEqual(before);
  });
});
