import {
  ClockOptionSchema,
  HandlersOptionSchema,
  HashOptionSchema,
  ModeSchema,
  RetryOptionsSchema,
  StorageOptionSchema,
  hasMethods,
  type HandlerRegistry,
  type HashFactory,
  type Mode,
  type RetryOptions,
  type StorageBackend,
  WarningHandlerSchema,
  type WarningHandler,
  type ExactLogOptions,
  type KnownReadOptions,
  type LoadCheckOptions,
} from "@lazyscribe/core/internal";
import { z } from "zod";
import type { ProjectRegistry } from "./ProjectRegistry.js";

/**
 * Options of `Project.open`.
 *
 * @example
 * const options: ProjectOptions = { mode: "w+", author: "alice", now: () => new Date("2025-03-02T10:00:00Z") };
 */
export interface ProjectOptions {
  /**
   * `r` read-only; `a` (default) existing experiments read-only, new ones
   * allowed; `w` start fresh (existing experiments are not loaded and the first
   * `save()` replaces the file); `w+` existing experiments editable.
   */
  mode?: Mode;
  /** Author of new experiments and of edits; default the OS user name. */
  author?: string;
  /** Where project.json and artifact folders live; default chosen from the location. */
  storage?: StorageBackend;
  /** Handler registry; default: core's default registry. */
  handlers?: HandlerRegistry;
  /** The clock (UTC). Tests inject it. */
  now?: () => Date;
  /** Where dependencies are looked up by name first; default the module-level `registry`. */
  registry?: ProjectRegistry;
  /** SHA-256 implementation; default core's `defaultHash()`. */
  hash?: HashFactory;
  /** Bounds of the compare-and-swap loop of `save()`. */
  retry?: RetryOptions;
  /**
   * Receives the warnings Python lazyscribe gives (output-only artifacts
   * logged, saved or loaded). Default: the process-wide handler — none in
   * `@lazyscribe/core`, `process.emitWarning` in `lazyscribe`.
   */
  onWarning?: WarningHandler;
}


/**
 * Zod schema of {@link ProjectOptions} (duck-typed so two bundled copies of core interoperate).
 *
 * @example
 * ProjectOptionsSchema.parse({}).mode; // "a"
 */
export const ProjectOptionsSchema = z.object({
  mode: ModeSchema.default("a"),
  author: z.string().min(1, "author must be a non-empty string").optional(),
  storage: StorageOptionSchema.optional(),
  handlers: HandlersOptionSchema.optional(),
  now: ClockOptionSchema.optional(),
  registry: z
    .custom<ProjectRegistry>((v) => hasMethods(v, ["addProject", "getProject", "hasProject"]), "registry must be a ProjectRegistry")
    .optional(),
  hash: HashOptionSchema.optional(),
  retry: RetryOptionsSchema,
  onWarning: WarningHandlerSchema.optional(),
});

export type ParsedProjectOptions = z.output<typeof ProjectOptionsSchema>;

/**
 * The `logArtifact` options of experiments and tests that every handler takes.
 *
 * @example
 * exp.logArtifact("features", [1, 2], { fname: "features.json", overwrite: true } satisfies ArtifactLogBaseOptions);
 */
export interface ArtifactLogBaseOptions {
  /** File name inside the experiment (or test) folder; default `<slug(name)>-<YYYYMMDDHHMMSS>.<suffix>`. */
  fname?: string;
  /** Replace an artifact of the same name instead of throwing `ArtifactLogError`. */
  overwrite?: boolean;
}

/**
 * Experiment `logArtifact` options with a handler alias known only at run
 * time: writer options are checked at run time only (`INVALID_OPTION`).
 *
 * @example
 * const alias: string = config.handler;
 * exp.logArtifact("features", [1, 2], { handler: alias } satisfies DynamicArtifactLogOptions);
 */
export interface DynamicArtifactLogOptions extends ArtifactLogBaseOptions {
  /** Handler alias; default from the value (bytes/stream → bytes, string → text, else json). */
  handler?: string;
  [writerOption: string]: unknown;
}

/**
 * Options of `logArtifact` on experiments and tests, exact for the handler
 * they name, as core's `LogOptions`: no `handler` → the default handlers'
 * writer options; a literal alias → that handler's writer options
 * (`HandlerWriteOptionsMap`); an alias typed `string` →
 * {@link DynamicArtifactLogOptions}; an unknown literal alias → a compile error.
 *
 * @example
 * exp.logArtifact("features", [1, 2], { handler: "json", fname: "features.json", indent: 4 } satisfies ArtifactLogOptions<"json">);
 */
export type ArtifactLogOptions<Alias extends string = never> = ExactLogOptions<ArtifactLogBaseOptions, Alias, DynamicArtifactLogOptions>;

/**
 * Zod schema of {@link ArtifactLogOptions}; unknown keys are writer options.
 *
 * @example
 * ArtifactLogOptionsSchema.parse({ handler: "json", indent: 4 }); // { handler: "json", indent: 4 }
 */
export const ArtifactLogOptionsSchema = z.looseObject({
  handler: z.string().min(1, "handler must be a non-empty alias such as \"json\"").optional(),
  fname: z.string().optional(),
  overwrite: z.boolean().optional(),
});

/**
 * Options of `loadArtifact` on experiments and tests: the checks and the
 * reader options of every known handler (`HandlerReadOptionsMap`); no index
 * signature, so a misspelt key is a compile error.
 *
 * @example
 * await exp.loadArtifact("features", { verify: false } satisfies ArtifactLoadOptions);
 */
export type ArtifactLoadOptions = LoadCheckOptions & KnownReadOptions;

/**
 * Zod schema of {@link ArtifactLoadOptions}; unknown keys are reader options.
 *
 * @example
 * ArtifactLoadOptionsSchema.safeParse({ verify: "no" }).success; // false
 */
export const ArtifactLoadOptionsSchema = z.looseObject({
  verify: z.boolean().optional(),
  validate: z.boolean().optional(),
});

/**
 * Options of `logTest`.
 *
 * @example
 * await exp.logTest("Young customers", (t) => t.logMetric("accuracy", 0.7), { description: "age < 30" });
 */
export interface TestLogOptions {
  /** Free-text description stored with the test (Python's `description`). */
  description?: string | null;
}

/**
 * Zod schema of {@link TestLogOptions}.
 *
 * @example
 * TestLogOptionsSchema.parse({ description: null });
 */
export const TestLogOptionsSchema = z.object({
  description: z.string().nullable().optional(),
});

/**
 * Options of `addDependency`.
 *
 * @example
 * exp.addDependency(upstream.get("feature-build"), { project: "features" });
 */
export interface DependencyOptions {
  /**
   * How the upstream project is referenced in the stored
   * `"<project>|<slug>"` string: a registry name or a location (relative
   * locations are resolved against the referencing project's folder). Default:
   * the upstream project's registry name if it is registered, else the
   * location it was opened with.
   */
  project?: string;
}

/**
 * Zod schema of {@link DependencyOptions}.
 *
 * @example
 * DependencyOptionsSchema.safeParse({ project: "a|b" }).success; // false
 */
export const DependencyOptionsSchema = z.object({
  project: z
    .string()
    .min(1, "project must be a non-empty registry name or location")
    .refine((s) => !s.includes("|"), "project must not contain \"|\"")
    .optional(),
});
