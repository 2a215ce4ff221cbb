import { afterEach, describe, expect, it } from "vitest";
import { MemoryStorage, Repository } from "./index.js";

const received: Error[] = [];
const listener = (w: Error) => received.push(w);
afterEach(() => {
  process.off("warning", listener);
  received.length = 0;
});

describe("warnings in the Node entry", () => {
  it("default to process.emitWarning (type LazyscribeWarning, with a code); onWarning replaces it", async () => {
    process.on("warning", listener);
    const storage = new MemoryStorage();
    let now = new Date("2025-01-01T00:00:00Z");
    const w = await Repository.open("repository.json", { storage, mode: "w", now: () => now });
    w.logArtifact("old", [1], { handler: "json" });
    now = new Date("2025-03-01T00:00:00Z");
    w.logArtifact("new", [1], { handler: "json" });
    await w.save();
    const r = await Repository.open("repository.json", { storage, mode: "r" });
    r.filter("2025-02-01T00:00:00");
    await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on the next tick
    expect(received.map((e) => [e.name, (e as Error & { code?: string }).code, e.message])).toEqual([
      ["LazyscribeWarning", "NO_VERSION_BEFORE", "Artifact 'new' does not have a version that predates 2025-02-01T00:00:00"],
    ]);
    const mine: string[] = [];
    const quiet = await Repository.open("repository.json", { storage, mode: "r", onWarning: (x) => mine.push(x.code) });
    quiet.filter("2025-02-01T00:00:00");
    await new Promise((resolve) => setImmediate(resolve));
    expect(mine).toEqual(["NO_VERSION_BEFORE"]);
    expect(received).toHaveLength(1);
  });
});
