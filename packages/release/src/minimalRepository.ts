import {
  defaultHash,
  hashFor,
  dirnameKey,
  hashingStream,
  isLazyscribeError,
  joinKey,
  ReadOnlyError,
  joinLocation,
  resolveLocation,
  SaveError,
  serializeManifest,
  VersionNotFoundError,
  type ArtifactRecord,
  type HashFactory,
  type Repository,
  type StorageBackend,
} from "@lazyscribe/core/internal";
import { z } from "zod";
import { parseInput } from "./input.js";
import { isRelease, type Release } from "./Release.js";
import { StorageSchema } from "./storageOption.js";

/**
 * Options of {@link minimalRepositoryFromRelease}.
 *
 * @example
 * await minimalRepositoryFromRelease("deploy", repo, release, { storage: new MemoryStorage() } satisfies MinimalRepositoryOptions);
 */
export interface MinimalRepositoryOptions {
  /** Target storage; with it, `location` is a folder key inside it. Default: chosen from `location`. */
  storage?: StorageBackend;
  /** SHA-256 implementation for entries that have no recorded hash (default: core's default). */
  hash?: HashFactory;
}

/**
 * What {@link minimalRepositoryFromRelease} wrote.
 *
 * @example
 * const { manifest }: MinimalRepositoryResult = await minimalRepositoryFromRelease("deploy", repo, release);
 * await Repository.open(manifest, { mode: "r" });
 */
export interface MinimalRepositoryResult {
  /** Location of the new manifest (`<location>/repository.json`), ready for `Repository.open`. */
  manifest: string;
  /** The target backend and the manifest's key in it. */
  storage: StorageBackend;
  manifestKey: string;
  /** Keys of the copied artifact files, in manifest order. */
  files: string[];
  /** The entries of the new manifest (cloned from the source, with `sha256` and `size`). */
  artifacts: ArtifactRecord[];
}

const OptionsSchema = z.object({
  storage: StorageSchema.optional(),
  hash: z.custom<HashFactory>((v) => typeof v === "function", "hash must be a function").optional(),
});

const RepositorySchema = z.custom<Repository>(
  (v) =>
    typeof v === "object" && v !== null &&
    ["openArtifactStream", "versions", "has"].every((m) => typeof (v as Record<string, unknown>)[m] === "function") &&
    Array.isArray((v as Repository).artifacts),
  "expected a Repository (open one with Repository.open)",
);

/**
 * Cut a repository down to one release for deployment: copies exactly the
 * release's artifact files to `<location>/<name>/<fname>` (streamed, verified
 * against the source's recorded hash, across backends too, and for handlers
 * that are not registered such as Python's `pickle`), then writes
 * `<location>/repository.json` with only those entries — same version
 * numbers, expiry and extra keys (`python_version`, ...), plus `sha256` and
 * `size` (computed while copying when the source entry has none).
 *
 * Never overwrites: if the target manifest or any target file already
 * exists, it throws `SaveError` before writing anything. Files and manifest
 * are created exclusively (`ifNoneMatch: "*"`), the manifest last; if
 * anything fails, every file this call wrote is removed again.
 *
 * Entries keep their expiry: a pinned version that has expired since does
 * not load as "latest" in the copy either; load it by version.
 *
 * @example
 * const repo = await Repository.open("models/repository.json", { mode: "r" });
 * const release = findRelease(await load("models/releases.json"), "v1.0.0");
 * await minimalRepositoryFromRelease("deploy/", repo, release);
 * const deployed = await Repository.open("deploy/repository.json", { mode: "r" });
 */
export async function minimalRepositoryFromRelease(
  location: string,
  repo: Repository,
  release: Release,
  options: MinimalRepositoryOptions = {},
): Promise<MinimalRepositoryResult> {
  const folder = parseInput(z.string().min(1, "location must not be empty"), location, "minimalRepositoryFromRelease() location");
  const source = parseInput(RepositorySchema, repo, "minimalRepositoryFromRelease() repository");
  parseInput(z.custom<Release>(isRelease, "expected a Release"), release, "minimalRepositoryFromRelease() release");
  const opts = parseInput(OptionsSchema, options ?? {}, "minimalRepositoryFromRelease() options");
  const where = typeof source.location === "string" ? ` (${source.location})` : "";
  if (source.mode !== "r") {
    throw new ReadOnlyError(
      `minimalRepositoryFromRelease() needs a read-only repository${where}: it is open with mode "${String(source.mode)}"; open it with { mode: "r" }`,
    );
  }
  if (source.dirty) {
    throw new ReadOnlyError(`minimalRepositoryFromRelease() needs a repository with nothing unsaved${where}: save() it and reopen it with { mode: "r" }`);
  }

  const manifest = joinLocation(folder, "repository.json");
  const { storage, key: manifestKey } = resolveLocation(manifest, opts.storage);
  const targetFolder = dirnameKey(manifestKey);
  const hash = hashFor(opts.hash ?? defaultHash(), source.storage, storage);
  if (isInside(storage, targetFolder, source.storage, source.folder)) {
    throw new SaveError(
      `minimalRepositoryFromRelease() cannot write into ${JSON.stringify(folder)}: it is inside the source repository's folder${where}, ` +
        `whose gc() would delete the copy; choose a folder outside it`,
    );
  }

  // Every pinned version must exist in the source (ArtifactNotFoundError / VersionNotFoundError).
  const wanted = new Map<string, number>(release.artifacts.map(([name, version]) => [name, version]));
  const picked = new Set<ArtifactRecord>();
  for (const [name, version] of wanted) {
    const record = source.versions(name).find((r) => r.version === version);
    if (!record) {
      throw new VersionNotFoundError(`release "${release.tag}" pins "${name}" version ${version}, which is not in ${describe(source)}`);
    }
    picked.add(record);
  }
  // Keep the source manifest's order.
  const records = source.artifacts.filter((r) => picked.has(r)).map((r) => r.clone());

  // Refuse to overwrite anything.
  const targets = records.map((r) => joinKey(targetFolder, r.name, r.fname));
  const existing: string[] = [];
  for (const k of [manifestKey, ...targets]) if (await storage.stat(k)) existing.push(k);
  if (existing.length > 0) {
    throw new SaveError(
      `refusing to overwrite ${existing.length === 1 ? "" : `${existing.length} existing files, e.g. `}${existing[0]} in ${storage.description}: ` +
        `minimalRepositoryFromRelease() never overwrites; choose an empty folder instead of ${JSON.stringify(folder)}`,
    );
  }

  const written: string[] = [];
  try {
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const { stream } = await source.openArtifactStream(record.name, { version: record.version });
      const hashed = hashingStream(stream, hash);
      const stat = await storage.write(targets[i]!, hashed.stream, { ifNoneMatch: "*" });
      written.push(targets[i]!);
      const digest = hashed.result();
      if (stat.size !== digest.size) {
        throw new SaveError(`copying ${record.name}/${record.fname} stored ${stat.size} bytes, expected ${digest.size}`);
      }
      record.sha256 = digest.sha256;
      record.size = digest.size;
    }
    await storage.write(manifestKey, serializeManifest(records), { ifNoneMatch: "*" });
  } catch (err) {
    for (const k of written.reverse()) await storage.delete(k).catch(() => undefined);
    if (isLazyscribeError(err, "PRECONDITION_FAILED")) {
      throw new SaveError(`another writer created a file in ${JSON.stringify(folder)} during the copy; removed what this call wrote`, { cause: err });
    }
    if (isLazyscribeError(err)) throw err;
    throw new SaveError(`copying release "${release.tag}" to ${JSON.stringify(folder)} failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
  return { manifest, storage, manifestKey, files: targets, artifacts: records };
}

/**
 * Is `folder` of `storage` the folder `base` of `baseStorage` or inside it?
 * Same backend: compare keys; two local backends: compare absolute paths.
 */
function isInside(storage: StorageBackend, folder: string, baseStorage: StorageBackend, base: string): boolean {
  const within = (a: string, b: string) => b === "" || a === b || a.startsWith(`${b}/`);
  if (storage === baseStorage) return within(folder, base);
  const local = (s: StorageBackend, key: string) =>
    typeof s.description === "string" && s.description.startsWith("file://")
      ? `${s.description.slice("file://".length)}/${key}`.replace(/\/+/g, "/").replace(/\/$/, "")
      : null;
  const a = local(storage, folder);
  const b = local(baseStorage, base);
  return a !== null && b !== null && within(a, b);
}

function describe(repo: Repository): string {
  return typeof repo.location === "string" ? repo.location : "the repository";
}
