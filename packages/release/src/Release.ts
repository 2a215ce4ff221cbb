import { copyOwn, formatEpochSeconds, nameProblem, parseEpochSeconds, toEpochSeconds } from "@lazyscribe/core/internal";
import { z } from "zod";
import { parseInput } from "./input.js";

/**
 * One pinned artifact version of a release: `[name, version]`.
 *
 * @example
 * const pin: ReleaseArtifact = ["features", 1];
 */
export type ReleaseArtifact = [name: string, version: number];

/**
 * What `new Release(...)` takes.
 *
 * @example
 * new Release({ tag: "v1.0.0", artifacts: [["features", 1]], createdAt: new Date() } satisfies ReleaseInit);
 */
export interface ReleaseInit {
  /** Identifier of the release, commonly a semantic or calendar version (`"v1.0.0"`). */
  tag: string;
  /** `[name, version]` pairs; each name at most once. Kept in the given order. */
  artifacts: ReadonlyArray<readonly [string, number]>;
  /** When the release was cut (UTC). A `Date` or a time string; kept at second precision. */
  createdAt: Date | string;
  /** Keys of a `releases.json` entry this product does not know, kept when the file is rewritten. */
  extra?: Record<string, unknown>;
}

const KNOWN_KEYS = new Set(["tag", "artifacts", "created_at"]);

const artifactName = z.string().superRefine((s, ctx) => {
  const problem = nameProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: `invalid artifact name: ${problem}` });
});

const artifactVersion = z.number().int("expected an integer version").nonnegative("expected a version >= 0");

/**
 * `[name, version]` pairs with every name at most once.
 *
 * @example
 * ReleaseArtifactsSchema.parse([["config", 0], ["features", 1]]);
 */
export const ReleaseArtifactsSchema = z
  .array(z.tuple([artifactName, artifactVersion]))
  .superRefine((pairs, ctx) => {
    const seen = new Set<string>();
    pairs.forEach(([name], i) => {
      if (seen.has(name)) ctx.addIssue({ code: "custom", path: [i, 0], message: `artifact "${name}" is listed twice` });
      seen.add(name);
    });
  });

/**
 * One entry of `releases.json` as Python lazyscribe 2.x writes it:
 * `{ "tag", "artifacts": [[name, version], ...], "created_at" }`. Unknown keys
 * are kept.
 *
 * @example
 * ReleaseEntrySchema.parse({ tag: "v0.1.0", artifacts: [["config", 0]], created_at: "2025-01-20T00:00:00" });
 */
export const ReleaseEntrySchema = z.looseObject({
  tag: z.string(),
  artifacts: ReleaseArtifactsSchema,
  created_at: z.string().refine((s) => parseEpochSeconds(s) !== null, {
    message: "expected a time like 2025-01-05T08:30:00 (ISO 8601)",
  }),
});

/**
 * A whole `releases.json`: an array of release entries.
 *
 * @example
 * const entries = ReleasesFileSchema.parse(JSON.parse(text));
 */
export const ReleasesFileSchema = z.array(ReleaseEntrySchema, {
  error: (issue) => (issue.code === "invalid_type" ? "expected an array of releases ([{ \"tag\", \"artifacts\", \"created_at\" }, ...])" : undefined),
});

/**
 * The on-disk shape of one release (key order as Python writes it).
 *
 * @example
 * const entry: ReleaseJSON = release.toJSON();
 * entry.created_at; // "2025-01-20T00:00:00"
 */
export interface ReleaseJSON {
  tag: string;
  artifacts: Array<[string, number]>;
  created_at: string;
  [extra: string]: unknown;
}

const ReleaseInitSchema = z.object({
  tag: z.string({ error: "tag must be a string" }).min(1, "tag must not be empty"),
  artifacts: ReleaseArtifactsSchema,
  createdAt: z.union([z.date(), z.string()], { error: "createdAt must be a Date or a time string" }),
  extra: z.record(z.string(), z.unknown()).optional(),
});

/**
 * A named, timestamped group of artifact versions: what was deployed
 * together. Immutable by convention; build new ones with {@link createRelease}.
 *
 * `artifacts` keeps the order it was given (`createRelease` sorts by name, as
 * Python does), so a loaded `releases.json` is written back byte for byte.
 *
 * @example
 * const release = new Release({
 *   tag: "v0.1.0",
 *   artifacts: [["config", 0], ["features", 1]],
 *   createdAt: "2025-01-20T00:00:00",
 * });
 * release.toJSON(); // { tag: "v0.1.0", artifacts: [["config", 0], ["features", 1]], created_at: "2025-01-20T00:00:00" }
 */
export class Release {
  /** Identifier of the release (`"v1.0.0"`). */
  readonly tag: string;
  /** Pinned `[name, version]` pairs. */
  readonly artifacts: Array<[string, number]>;
  /** Creation time (UTC, whole seconds). */
  readonly createdAt: Date;
  /** Unknown keys of the on-disk entry, kept when the file is rewritten. */
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(init: ReleaseInit) {
    const parsed = parseInput(ReleaseInitSchema, init, "Release");
    this.tag = parsed.tag;
    this.artifacts = parsed.artifacts.map(([name, version]) => [name, version]);
    this.createdAt = new Date(toEpochSeconds(parsed.createdAt, "release creation time") * 1000);
    // From the caller's object: zod's output drops a key named `__proto__`.
    this.extra = parsed.extra ? copyOwn(init.extra!, KNOWN_KEYS) : {};
  }

  /**
   * Build a release from a validated `releases.json` entry (see
   * {@link ReleaseEntrySchema}).
   *
   * @example
   * Release.fromJSON({ tag: "v0.1.0", artifacts: [["config", 0]], created_at: "2025-01-20T00:00:00" });
   */
  static fromJSON(entry: z.output<typeof ReleaseEntrySchema>, raw: object = entry): Release {
    const { tag, artifacts, created_at } = entry;
    return new Release({ tag, artifacts, createdAt: created_at, extra: copyOwn(raw, KNOWN_KEYS) });
  }

  /** Whole epoch seconds of {@link createdAt}. */
  get createdSeconds(): number {
    return Math.floor(this.createdAt.getTime() / 1000);
  }

  /**
   * The on-disk entry: `tag`, `artifacts`, `created_at` in that order (as
   * Python writes it), then any unknown keys. Times are `YYYY-MM-DDTHH:MM:SS` UTC.
   *
   * @example
   * JSON.stringify(release); // '{"tag":"v0.1.0","artifacts":[["config",0]],"created_at":"2025-01-20T00:00:00"}'
   */
  toJSON(): ReleaseJSON {
    return {
      tag: this.tag,
      artifacts: this.artifacts.map(([name, version]) => [name, version]),
      created_at: formatEpochSeconds(this.createdSeconds),
      ...this.extra,
    };
  }
}

/**
 * True for a {@link Release} — checked by shape, not `instanceof`, so
 * releases from another bundled copy of this package are accepted too.
 *
 * @example
 * isRelease(findRelease(releases)); // true
 */
export function isRelease(value: unknown): value is Release {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Partial<Release>;
  return typeof r.tag === "string" && r.createdAt instanceof Date && Array.isArray(r.artifacts) && typeof r.toJSON === "function";
}

/**
 * An array of {@link Release} objects (caller input, not file content).
 *
 * @example
 * ReleaseListSchema.parse(await load("releases.json"));
 */
export const ReleaseListSchema = z.array(
  z.custom<Release>(isRelease, "expected a Release (make one with createRelease(), new Release(), load() or loads())"),
  { error: "releases must be an array of Release objects" },
);
