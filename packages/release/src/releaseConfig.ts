import { ManifestError, manifestErrorFromZod } from "@lazyscribe/core/internal";
import { z } from "zod";
import { tagFormatProblem } from "./formatTag.js";

/**
 * What `releaseFromToml` / `releaseFromPackageJson` read from a project file.
 *
 * @example
 * const config: ReleaseConfig = parseTomlReleaseConfig(text);
 * await syncReleases(config, { cwd: "/work/project" });
 */
export interface ReleaseConfig {
  /** The config file's name, used in error messages. */
  file: string;
  /** The project version (`"1.0.0"`). */
  version: string;
  /** Tag format (default `"v{version}"`). */
  format: string;
  /** Repository manifest paths, relative to the config file's folder. */
  repositories: string[];
}

/**
 * The default tag format, as in Python lazyscribe.
 *
 * @example
 * formatTag(DEFAULT_TAG_FORMAT, { version: "1.0.0", createdAt: new Date() }); // "v1.0.0"
 */
export const DEFAULT_TAG_FORMAT = "v{version}";

const versionSchema = z
  .string({ error: "the version must be a string such as \"1.0.0\"" })
  .min(1, "the version must not be empty");

/**
 * The lazyscribe settings table: `[tool.lazyscribe]` in `pyproject.toml`, the
 * `"lazyscribe"` object in `package.json`. Unknown keys are ignored.
 *
 * @example
 * LazyscribeSettingsSchema.parse({ repositories: ["src/model-1/repository.json"], format: "v{version}" });
 */
export const LazyscribeSettingsSchema = z.looseObject({
  repositories: z
    .array(
      z.string({ error: "each repository must be a path string" }).min(1, "a repository path must not be empty"),
      {
        error: (issue) =>
          issue.input === undefined
            ? "repositories is missing: list the repository manifests, e.g. [\"src/model-1/repository.json\"]"
            : "repositories must be a list of repository manifest paths",
      },
    )
    .min(1, "repositories is empty: list at least one repository manifest"),
  format: z
    .string({ error: "format must be a string such as \"v{version}\"" })
    .superRefine((format, ctx) => {
      const problem = tagFormatProblem(format);
      if (problem) ctx.addIssue({ code: "custom", message: `invalid tag format: ${problem}` });
    })
    .optional(),
  version: versionSchema.optional(),
});

/**
 * True for a plain table / object (not an array, date or primitive).
 *
 * @example
 * isTable({ a: 1 }); // true
 * isTable([1]);      // false
 */
export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) !== Date.prototype;
}

/**
 * Validate the settings table and pick the version: the project's own version
 * (`[project].version` / top-level `"version"`) when present, else the
 * table's `version`. Every problem is a `ManifestError` naming `file` and the
 * path of the bad value.
 *
 * @example
 * buildReleaseConfig("package.json", pkg.lazyscribe, ["lazyscribe"], { value: pkg.version, path: ["version"] });
 */
export function buildReleaseConfig(
  file: string,
  settings: unknown,
  settingsPath: ReadonlyArray<string>,
  projectVersion: { value: unknown; path: ReadonlyArray<string> },
): ReleaseConfig {
  const r = LazyscribeSettingsSchema.safeParse(settings);
  if (!r.success) throw manifestErrorFromZod(file, r.error, [...settingsPath]);
  let version: string;
  if (projectVersion.value !== undefined) {
    const v = versionSchema.safeParse(projectVersion.value);
    if (!v.success) throw manifestErrorFromZod(file, v.error, [...projectVersion.path]);
    version = v.data;
  } else if (r.data.version !== undefined) {
    version = r.data.version;
  } else {
    throw new ManifestError(
      file,
      [...projectVersion.path],
      `no version: set ${describe(projectVersion.path)} or ${describe([...settingsPath, "version"])}`,
    );
  }
  return { file, version, format: r.data.format ?? DEFAULT_TAG_FORMAT, repositories: r.data.repositories };
}

function describe(path: ReadonlyArray<string>): string {
  return path.join(".");
}
