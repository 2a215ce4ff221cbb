import { ManifestError, parseJsonFile } from "@lazyscribe/core/internal";
import { z } from "zod";
import { parseInput } from "./input.js";
import { buildReleaseConfig, isTable, type ReleaseConfig } from "./releaseConfig.js";
import { syncReleases, type ReleaseFromConfigOptions, type ReleaseSyncResult } from "./syncReleases.js";

/**
 * Read the release settings of a `package.json`: the `"lazyscribe"` object
 * with `repositories` (required), `format` and `version` (optional); the
 * version is the top-level `"version"`, else `lazyscribe.version`. Invalid
 * JSON (with line and column), a missing `"lazyscribe"` object, a missing
 * version or values of the wrong type throw `ManifestError`.
 *
 * @example
 * parsePackageJsonReleaseConfig('{"version":"1.0.0","lazyscribe":{"repositories":["repository.json"]}}');
 * // { file: "package.json", version: "1.0.0", format: "v{version}", repositories: ["repository.json"] }
 */
export function parsePackageJsonReleaseConfig(text: string, file = "package.json"): ReleaseConfig {
  if (typeof text !== "string") throw new ManifestError(file, [], "expected the file's text as a string");
  const data = parseJsonFile(file, text.replace(/^\uFEFF/, ""));
  if (!isTable(data)) throw new ManifestError(file, [], "expected a JSON object");
  if (!isTable(data.lazyscribe)) {
    throw new ManifestError(
      file,
      ["lazyscribe"],
      "lazyscribe" in data
        ? "\"lazyscribe\" must be an object"
        : "missing the \"lazyscribe\" object: add \"lazyscribe\": { \"repositories\": [\"path/to/repository.json\"] }",
    );
  }
  return buildReleaseConfig(file, data.lazyscribe, ["lazyscribe"], { value: data.version, path: ["version"] });
}

const TextSchema = z.string({ error: "expected the text of package.json as a string" });

/**
 * {@link releaseFromToml} for Node projects: reads `package.json`
 *
 * ```json
 * {
 *   "version": "1.0.0",
 *   "lazyscribe": { "repositories": ["models/a/repository.json"], "format": "v{version}" }
 * }
 * ```
 *
 * and appends a release to the `releases.json` beside each listed repository.
 * Same checks-before-writes, skipping of existing tags and compare-and-swap.
 *
 * @example
 * const results = await releaseFromPackageJson(await readFile("package.json", "utf8"), { cwd: process.cwd() });
 */
export async function releaseFromPackageJson(text: string, options: ReleaseFromConfigOptions = {}): Promise<ReleaseSyncResult[]> {
  const file = typeof options?.file === "string" && options.file ? options.file : "package.json";
  const config = parsePackageJsonReleaseConfig(parseInput(TextSchema, text, "releaseFromPackageJson() text"), file);
  return syncReleases(config, options);
}
