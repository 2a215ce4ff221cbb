import { manifestErrorFromZod, parseJsonFile, stringifyPythonJson } from "@lazyscribe/core/internal";
import { assertUniqueTags } from "./uniqueTags.js";
import { z } from "zod";
import { parseInput } from "./input.js";
import { Release, ReleaseListSchema, ReleasesFileSchema } from "./Release.js";

/**
 * Options of {@link dumps}.
 *
 * @example
 * dumps(releases, { indent: 2 } satisfies DumpsOptions);
 */
export interface DumpsOptions {
  /**
   * Spaces per level (default 4, as `releases.json` is written by Python's
   * `release_from_toml`); `null` writes one line like Python's default `json.dumps`.
   */
  indent?: number | null;
}

/**
 * Options of {@link loads}.
 *
 * @example
 * loads(text, { file: "models/releases.json" } satisfies LoadsOptions);
 */
export interface LoadsOptions {
  /** File name used in error messages (default `"releases.json"`). */
  file?: string;
}

const DumpsOptionsSchema = z.object({
  indent: z.number().int().min(0).max(64).nullable().default(4),
});
const LoadsOptionsSchema = z.object({ file: z.string().min(1).default("releases.json") });

/**
 * Serialize releases exactly as Python lazyscribe writes `releases.json`:
 * entries with keys `tag`, `artifacts`, `created_at` in that order, 4-space
 * indent, ASCII-escaped, no trailing newline. A file written by Python and
 * read with {@link loads} is reproduced byte for byte.
 *
 * @example
 * const text = dumps([release]);           // what dump() writes
 * const oneLine = dumps([release], { indent: null });
 */
export function dumps(releases: readonly Release[], options: DumpsOptions = {}): string {
  const list = parseInput(ReleaseListSchema, releases, "dumps() releases");
  const { indent } = parseInput(DumpsOptionsSchema, options ?? {}, "dumps() options");
  assertUniqueTags(list);
  // Python's json.dump layout, keys in Release order (tag, artifacts, created_at), not sorted.
  return stringifyPythonJson(
    list.map((r) => r.toJSON()),
    indent === null ? { ensureAscii: true, separators: [", ", ": "] } : { indent, ensureAscii: true },
  );
}

/**
 * Parse the text of a `releases.json`. Malformed JSON or an entry of the wrong
 * shape throws `ManifestError` (code `MANIFEST_INVALID`) naming the file and
 * the line / column or the path of the bad value (`[1].created_at`).
 * Python's bare `NaN` / `Infinity` tokens are accepted.
 *
 * @example
 * const releases = loads(await readFile("releases.json", "utf8"));
 * releases[0]?.tag; // "v0.1.0"
 */
export function loads(text: string | Uint8Array, options: LoadsOptions = {}): Release[] {
  const { file } = parseInput(LoadsOptionsSchema, options ?? {}, "loads() options");
  if (typeof text !== "string" && !(text instanceof Uint8Array)) {
    throw parseInputError(file);
  }
  const json = parseJsonFile(file, text, { checkDepth: true });
  const r = ReleasesFileSchema.safeParse(json);
  if (!r.success) throw manifestErrorFromZod(file, r.error);
  return r.data.map((entry, i) => Release.fromJSON(entry, (json as object[])[i]));
}

function parseInputError(file: string): Error {
  return manifestErrorFromZod(file, { issues: [{ path: [], message: "expected the file's text (a string or bytes)" }] });
}
