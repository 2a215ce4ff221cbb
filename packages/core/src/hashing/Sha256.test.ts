import { describe, expect, it } from "vitest";
import { MemoryStorage } from "../storage/MemoryStorage.js";
import { Repository } from "../repository/Repository.js";
import { fakeClock, testRegistry } from "../testSupport.js";
import { hashFor, portableSha256, type HashFactory, type HashHint } from "./Sha256.js";

/** A factory that records the hints it was asked with and hashes portably. */
function recordingHash(): { hash: HashFactory; hints: Array<HashHint | undefined> } {
  const hints: Array<HashHint | undefined> = [];
  return { hints, hash: (hint) => (hints.push(hint), portableSha256(hint)) };
}

/** MemoryStorage that says its bytes travel over a network, like S3Storage. */
class RemoteMemoryStorage extends MemoryStorage {
  readonly remote = true;
}

describe("hashFor", () => {
  it("returns the factory itself when no backend is remote", () => {
    const { hash } = recordingHash();
    expect(hashFor(hash, new MemoryStorage("memory://a"), { description: "x" })).toBe(hash);
  });

  it("adds remote: true to every hint when any backend is remote, keeping the others", () => {
    const { hash, hints } = recordingHash();
    const remote = hashFor(hash, new MemoryStorage("memory://a"), { description: "s3://b", remote: true });
    remote({ streaming: true });
    remote();
    expect(hints).toEqual([{ streaming: true, remote: true }, { remote: true }]);
  });
});

describe("Repository hashes with its backend's remote flag", () => {
  for (const [label, storage, remote] of [
    ["local", new MemoryStorage("memory://"), undefined],
    ["remote", new RemoteMemoryStorage("memory://"), true],
  ] as const) {
    it(`${label} storage: save and load ask for streaming hashes${remote ? " marked remote" : ""}`, async () => {
      const { hash, hints } = recordingHash();
      const opts = { storage, now: fakeClock("2025-01-01T00:00:00").now, handlers: testRegistry(), hash };
      const repo = await Repository.open("repository.json", { ...opts, mode: "w" });
      repo.logArtifact("data", { a: 1 });
      await repo.save();
      const reader = await Repository.open("repository.json", { ...opts, mode: "r" });
      expect(await reader.loadArtifact("data")).toEqual({ a: 1 });
      expect(hints.length).toBeGreaterThan(0);
      for (const hint of hints) expect(hint?.remote).toBe(remote);
    });
  }
});
