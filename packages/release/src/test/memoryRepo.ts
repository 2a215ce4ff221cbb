// Build small repositories in memory with an injected clock.
import { MemoryStorage, Repository } from "@lazyscribe/core/internal";

export interface Version {
  name: string;
  value: unknown;
  at: string;
  expiry?: string;
}

/** Save `versions` (each logged at its own time) into `repository.json` of a fresh MemoryStorage. */
export async function memoryRepository(versions: Version[], storage = new MemoryStorage(), key = "repository.json"): Promise<MemoryStorage> {
  let now = new Date(0);
  const repo = await Repository.open(key, { storage, mode: "w+", now: () => now });
  for (const v of versions) {
    now = new Date(`${v.at}Z`);
    repo.logArtifact(v.name, v.value, { handler: "json" });
    await repo.save();
    if (v.expiry) {
      repo.setArtifactExpiry(v.name, undefined, v.expiry);
      await repo.save();
    }
  }
  return storage;
}
