import { ManifestError } from "@lazyscribe/core/internal";
import { parse, TomlError } from "smol-toml";
import { z } from "zod";
import { parseInput } from "./input.js";
import { buildReleaseConfig, isTable, type ReleaseConfig } from "./releaseConfig.js";
import { syncReleases, type ReleaseFromConfigOptions, type ReleaseSyncResult } from "./syncReleases.js";

/**
 * Read the release settings of a `pyproject.toml`: `[tool.lazyscribe]` with
 * `repositories` (required), `format` and `version` (optional); the version is
 * `[project].version`, else `[tool.lazyscribe].version`. Invalid TOML, a
 * missing table, a missing version or values of the wrong type throw
 * `ManifestError` naming the file and the line / key.
 *
 * @example
 * parseTomlReleaseConfig('[project]\nversion = "1.0.0"\n[tool.lazyscribe]\nrepositories = ["repository.json"]\n');
 * // { file: "pyproject.toml", version: "1.0.0", format: "v{version}", repositories: ["repository.json"] }
 */
export function parseTomlReleaseConfig(text: string, file = "pyproject.toml"): ReleaseConfig {
  if (typeof text !== "string") throw new ManifestError(file, [], "expected the file's text as a string");
  let data: Record<string, unknown>;
  try {
    data = parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError || (err instanceof Error && "line" in err && "column" in err)) {
      const e = err as TomlError;
      const detail = e.message.split("\n")[0]!.replace(/^Invalid TOML document:\s*/, "");
      throw new ManifestError(file, [], `not valid TOML (${detail} at line ${e.line} column ${e.column})`, { cause: err });
    }
    throw err;
  }
  const tool = data.tool;
  if (!isTable(tool) || !isTable(tool.lazyscribe)) {
    const present = isTable(tool) && "lazyscribe" in tool;
    throw new ManifestError(
      file,
      ["tool", "lazyscribe"],
      present
        ? "[tool.lazyscribe] must be a table"
        : "missing the [tool.lazyscribe] table: add one with repositories = [\"path/to/repository.json\", ...]",
    );
  }
  const project = data.project;
  if (project !== undefined && !isTable(project)) throw new ManifestError(file, ["project"], "[project] must be a table");
  return buildReleaseConfig(file, tool.lazyscribe, ["tool", "lazyscribe"], {
    value: project?.version,
    path: ["project", "version"],
  });
}

const TextSchema = z.string({ error: "expected the text of pyproject.toml as a string" });

/**
 * Cut a release of every repository listed in a `pyproject.toml` and append
 * it to the `releases.json` beside each repository's manifest (created if
 * missing), as Python lazyscribe's `release_from_toml` does:
 *
 * ```toml
 * [project]
 * version = "1.0.0"
 *
 * [tool.lazyscribe]
 * repositories = ["src/model-1/repository.json", "src/model-2/repository.json"]
 * # format = "v{version}"   # placeholders {version} {year} {month} {day}
 * ```
 *
 * Repository paths are relative to `cwd` (the config file's folder, default
 * `"."`). Everything — the config, each listed repository, each existing
 * `releases.json` — is checked before anything is written; problems throw
 * `ManifestError` (config or file contents) or `StorageNotFoundError` (a
 * listed repository does not exist). A tag that is already released is
 * skipped with a warning (`created: false`). Appends use compare-and-swap, so
 * concurrent releases are never lost. See {@link syncReleases}.
 *
 * @example
 * const results = await releaseFromToml(await readFile("pyproject.toml", "utf8"), { cwd: "/work/project" });
 * results.map((r) => `${r.releasesFile}: ${r.tag} ${r.created ? "created" : "exists"}`);
 */
export async function releaseFromToml(text: string, options: ReleaseFromConfigOptions = {}): Promise<ReleaseSyncResult[]> {
  const file = typeof options?.file === "string" && options.file ? options.file : "pyproject.toml";
  const config = parseTomlReleaseConfig(parseInput(TextSchema, text, "releaseFromToml() text"), file);
  return syncReleases(config, options);
}
