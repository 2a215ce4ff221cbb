import {
  LazyscribeError,
  SaveError,
  jsonValueProblem,
  setOwn,
  ReadOnlyError,
  clockSeconds,
  dirnameKey,
  formatEpochSeconds,
  joinKey,
  slugifyOrFallback,
  type ArtifactRecord,
  type HandlerRegistry,
  type HashFactory,
  type Repository,
  type StorageBackend,
  type WarningCode,
  hasScheme,
  isAbsoluteLocation,
} from "@lazyscribe/core/internal";
import { z } from "zod";
import { ArtifactList, type ArtifactState } from "./ArtifactList.js";
import { relativeTo, dirnameOf, objectStoreScheme } from "./locationPath.js";
import {
  DependencyOptionsSchema,
  TestLogOptionsSchema,
  type ArtifactLoadOptions,
  type ArtifactLogOptions,
  type DynamicArtifactLogOptions,
  type DependencyOptions,
  type TestLogOptions,
} from "./options.js";
import type { ProjectRegistry } from "./ProjectRegistry.js";
import { sortKeysDeep, type TestEntry } from "./projectFile.js";
import { promoteArtifact } from "./promoteArtifact.js";
import { experimentSlugs } from "./slugs.js";
import { StartOrderedList } from "./StartOrderedList.js";
import { Test } from "./Test.js";

/** Where an experiment lives and who edits it. @internal Built by `Project`. */
export interface ExperimentContext {
  readonly storage: StorageBackend;
  /** Key of the project file inside `storage`. */
  readonly projectKey: string;
  /** The location string the project was opened with (used in dependency references). */
  readonly projectLocation: string;
  readonly handlers: HandlerRegistry;
  readonly hash: () => HashFactory;
  readonly now: () => Date;
  /** Who makes changes now (the project's author): becomes `lastUpdatedBy`. */
  readonly editor: string;
  readonly registry: ProjectRegistry;
  readonly readOnly: boolean;
  /** Deliver a warning Python gives (output-only artifacts). */
  readonly warn?: (code: WarningCode, message: string) => void;
}

/**
 * A resolved dependency: the stored reference and the upstream experiment.
 *
 * @example
 * const dep: ExperimentDependency = { ref: "upstream.json|feature-build-20250301093000", experiment: upstream.get("feature-build") };
 */
export interface ExperimentDependency {
  readonly ref: string;
  readonly experiment: Experiment;
}

/** Field values of an experiment. @internal */
export interface ExperimentInit {
  name: string;
  author: string;
  lastUpdatedBy?: string;
  createdSeconds: number;
  lastUpdatedSeconds?: number;
  metrics?: Record<string, unknown>;
  parameters?: Record<string, unknown>;
  shortSlug?: string;
  slug?: string;
  tags?: string[];
  tests?: TestEntry[];
  artifacts?: ArtifactRecord[];
  dependencies?: ExperimentDependency[];
  extra?: Record<string, unknown>;
}

const TagsSchema = z.array(z.string({ error: "tags must be strings" }));

/**
 * What `log()` and `logTest()` callbacks may return.
 *
 * @example
 * const fn: (exp: Experiment) => Awaitable<void> = async (exp) => exp.logMetric("m", 1);
 */
export type Awaitable<T> = T | Promise<T>;

/**
 * One run: metrics, parameters, tags, sub-population tests, artifacts and
 * upstream dependencies, stored as one entry of `project.json` plus the folder
 * `<project dir>/<slug>`. Created by `Project.log`; loaded by `Project.open`
 * (read-only in modes `r` and `a`, where every change throws `ReadOnlyError`).
 *
 * @example
 * await project.log("Baseline model", async (exp) => {
 *   exp.logMetric("accuracy", 0.81);
 *   exp.logParameter("depth", 3);
 *   exp.tag("baseline");
 *   exp.logArtifact("features", [1, 2, 3], { handler: "json" });
 * });
 */
export class Experiment {
  /** The experiment's name as given. */
  readonly name: string;
  /** Who created it. */
  readonly author: string;
  /** `slugify(name)` (never empty). */
  readonly shortSlug: string;
  /** `slugify("<name>-<YYYYMMDDHHMMSS of createdAt>")`: the folder name. */
  readonly slug: string;
  private readonly createdSeconds: number;
  private lastUpdatedSeconds: number;
  private _lastUpdatedBy: string;
  private readonly _metrics: Record<string, unknown>;
  private readonly _parameters: Record<string, unknown>;
  private _tags: string[];
  private readonly testList: StartOrderedList<Test>;
  private readonly artifactList: ArtifactList;
  private deps: ExperimentDependency[];
  private readonly extra: Record<string, unknown>;
  private _dirty: boolean;
  private _revision = 0;

  /** @internal Use `Project.log` (or `Project.open` to load). */
  constructor(
    init: ExperimentInit,
    private readonly ctx: ExperimentContext,
    options: { dirty: boolean },
  ) {
    this.name = init.name;
    this.author = init.author;
    this.createdSeconds = init.createdSeconds;
    this.lastUpdatedSeconds = init.lastUpdatedSeconds ?? init.createdSeconds;
    this._lastUpdatedBy = init.lastUpdatedBy ?? init.author;
    const slugs = experimentSlugs(init.name, init.createdSeconds);
    this.shortSlug = init.shortSlug || slugs.shortSlug;
    this.slug = init.slug || slugs.slug;
    this._metrics = { ...(init.metrics ?? {}) };
    this._parameters = { ...(init.parameters ?? {}) };
    this._tags = [...(init.tags ?? [])];
    this.deps = [...(init.dependencies ?? [])];
    this.extra = { ...(init.extra ?? {}) };
    this._dirty = options.dirty;
    this.artifactList = new ArtifactList(
      { storage: ctx.storage, handlers: ctx.handlers, hash: ctx.hash, folder: this.path, owner: `experiment "${this.slug}"`, ...(ctx.warn ? { warn: ctx.warn } : {}) },
      init.artifacts ?? [],
    );
    this.testList = new StartOrderedList((init.tests ?? []).map((t) => this.makeTest(t.name, t.description, t)));
    if (ctx.readOnly) {
      Object.freeze(this._metrics);
      Object.freeze(this._parameters);
      Object.freeze(this._tags);
    }
  }

  // ------------------------------------------------------------ fields

  /** Who changed it last. */
  get lastUpdatedBy(): string {
    return this._lastUpdatedBy;
  }

  /** When it was created (UTC, second precision). */
  get createdAt(): Date {
    return new Date(this.createdSeconds * 1000);
  }

  /** When it was last changed (UTC, second precision). */
  get lastUpdated(): Date {
    return new Date(this.lastUpdatedSeconds * 1000);
  }

  /** Metrics by name (Python's `NaN` / `Infinity` are numbers). */
  get metrics(): Readonly<Record<string, unknown>> {
    return this._metrics;
  }

  /** Parameters by name. */
  get parameters(): Readonly<Record<string, unknown>> {
    return this._parameters;
  }

  /** Tags, in the order they were added. */
  get tags(): readonly string[] {
    return this._tags;
  }

  /** Finished tests, in the order their `logTest` calls started. */
  get tests(): Test[] {
    return this.testList.values();
  }

  /** Artifact records (version 0, not versioned), in logging order. */
  get artifacts(): ArtifactRecord[] {
    return this.artifactList.records;
  }

  /**
   * Upstream experiments by short slug (loaded read-only). A frozen view:
   * assigning to it throws `TypeError`; add one with {@link addDependency}.
   */
  get dependencies(): Readonly<Record<string, Experiment>> {
    const out: Record<string, Experiment> = {};
    for (const d of this.deps) Object.defineProperty(out, d.experiment.shortSlug, { value: d.experiment, enumerable: true, writable: true, configurable: true });
    Object.freeze(out);
    // Throw in sloppy-mode callers too, instead of dropping the assignment silently.
    const refuse = (): never => {
      throw new ReadOnlyError(`experiment "${this.slug}".dependencies is a read-only view; use addDependency() to add one`);
    };
    return new Proxy(out, { set: refuse, defineProperty: refuse, deleteProperty: refuse, setPrototypeOf: refuse });
  }

  /** The stored dependency references, `"<project>|<slug>"`. */
  get dependencyRefs(): readonly string[] {
    return this.deps.map((d) => d.ref);
  }

  /** Storage key of the experiment folder, `<project dir>/<slug>`. */
  get path(): string {
    return joinKey(dirnameKey(this.ctx.projectKey), this.slug);
  }

  /** The backend holding the project file and this experiment's folder. */
  get storage(): StorageBackend {
    return this.ctx.storage;
  }

  /** Key of the project file inside {@link storage}. */
  get projectKey(): string {
    return this.ctx.projectKey;
  }

  /** The location its project was opened with. */
  get projectLocation(): string {
    return this.ctx.projectLocation;
  }

  /** True when every change throws `ReadOnlyError`. */
  get readOnly(): boolean {
    return this.ctx.readOnly;
  }

  /** True when it has changes `Project.save()` has not committed. */
  get dirty(): boolean {
    return this._dirty || this.artifactList.dirty || this.tests.some((t) => t.artifactStore.dirty);
  }

  // ------------------------------------------------------------ logging

  /**
   * Log (or overwrite) a metric: a number (NaN and ±Infinity are kept) or a
   * list of numbers, as Python lazyscribe allows.
   *
   * @example
   * exp.logMetric("accuracy", 0.81);
   */
  logMetric(name: string, value: number | readonly number[]): void {
    this.assertWritable(`log metric "${name}"`);
    assertKey(name, "metric");
    setOwn(this._metrics, name, Array.isArray(value) ? [...value] : value);
    this.touch();
  }

  /**
   * Log (or overwrite) a parameter; any JSON value.
   *
   * @example
   * exp.logParameter("features", ["a", "b"]);
   */
  logParameter(name: string, value: unknown): void {
    this.assertWritable(`log parameter "${name}"`);
    assertKey(name, "parameter");
    setOwn(this._parameters, name, value);
    this.touch();
  }

  /**
   * Add tags (duplicates are skipped), or replace them all with
   * `tag(tags, { overwrite: true })`.
   *
   * @example
   * exp.tag("baseline", "v1");
   * exp.tag(["candidate"], { overwrite: true });
   */
  tag(...tags: string[]): void;
  tag(tags: readonly string[], options: { overwrite?: boolean }): void;
  tag(...args: unknown[]): void {
    this.assertWritable("tag");
    let list: unknown;
    let overwrite = false;
    if (args.length >= 1 && Array.isArray(args[0])) {
      if (args.length > 2) throw new LazyscribeError("tag() takes tags as arguments, or (tags[], { overwrite })");
      list = args[0];
      const opts = z.object({ overwrite: z.boolean().optional() }).safeParse(args[1] ?? {});
      if (!opts.success) throw new LazyscribeError(`invalid tag options: ${opts.error.issues[0]!.message}`);
      overwrite = opts.data.overwrite ?? false;
    } else {
      list = args;
    }
    const parsed = TagsSchema.safeParse(list);
    if (!parsed.success) throw new LazyscribeError(`invalid tags: ${parsed.error.issues[0]!.message}`);
    const next = overwrite ? [] : [...this._tags];
    for (const t of parsed.data) if (!next.includes(t)) next.push(t);
    this._tags = next;
    this.touch();
  }

  /**
   * Log an artifact; written into {@link path} when the project is saved.
   * Experiment artifacts are not versioned: a second one with the same name
   * throws `ArtifactLogError` unless `{ overwrite: true }`.
   *
   * @example
   * exp.logArtifact("features", [1, 2, 3], { handler: "json", indent: 4 });
   */
  logArtifact<const Alias extends string = never>(name: string, value: unknown, options?: ArtifactLogOptions<Alias> & { handler?: Alias }): ArtifactRecord {
    // `& { handler?: Alias }`: see core's `Repository.logArtifact` (inference needs a plain place for the alias).
    this.assertWritable(`log artifact "${name}"`);
    const record = this.artifactList.log(name, value, (options === undefined ? {} : options) as DynamicArtifactLogOptions, this.nowSeconds());
    this.touch();
    return record;
  }

  /**
   * Load a saved artifact through its handler (hash and size verified when
   * recorded; unknown name → `ArtifactLoadError`).
   *
   * @example
   * const features = await exp.loadArtifact<number[]>("features");
   */
  loadArtifact<T = unknown>(name: string, options: ArtifactLoadOptions = {}): Promise<T> {
    return this.artifactList.load<T>(name, options);
  }

  /**
   * Run `fn` with a new test; the test is added only if `fn` resolves. Safe
   * to run several at once (`Promise.all`): tests keep the order the calls
   * were made in.
   *
   * @example
   * await exp.logTest("Young customers", async (t) => t.logMetric("accuracy", 0.7), { description: "age < 30" });
   */
  async logTest(name: string, fn: (test: Test) => Awaitable<void>, options: TestLogOptions = {}): Promise<Test> {
    this.assertWritable(`log test "${name}"`);
    if (typeof name !== "string" || name.trim() === "") throw new LazyscribeError("a test needs a non-empty name");
    if (typeof fn !== "function") throw new LazyscribeError(`logTest("${name}", fn): fn must be a function`);
    const opts = TestLogOptionsSchema.safeParse(options ?? {});
    if (!opts.success) throw new LazyscribeError(`invalid logTest options: ${opts.error.issues[0]!.message}`);
    const slot = this.testList.reserve();
    const attached = { value: false };
    const test = this.makeTest(name, opts.data.description ?? null, undefined, attached);
    try {
      await fn(test);
    } catch (err) {
      this.testList.cancel(slot);
      throw err;
    }
    this.testList.fill(slot, test);
    attached.value = true;
    this.touch();
    return test;
  }

  /**
   * Depend on an upstream experiment, stored as `"<project>|<slug>"` (see
   * {@link DependencyOptions} for how `<project>` is chosen). Replaces an
   * earlier dependency with the same short slug. Returns the stored reference.
   *
   * @example
   * exp.addDependency(upstream.get("feature-build"));                    // "upstream.json|feature-build-20250301093000"
   * exp.addDependency(upstream.get("feature-build"), { project: "features" }); // a registry name
   */
  addDependency(upstream: Experiment, options: DependencyOptions = {}): string {
    this.assertWritable("add a dependency");
    if (!(upstream instanceof Experiment) && !(typeof upstream === "object" && upstream !== null && "slug" in upstream)) {
      throw new LazyscribeError("addDependency() needs an Experiment");
    }
    const opts = DependencyOptionsSchema.safeParse(options ?? {});
    if (!opts.success) throw new LazyscribeError(`invalid addDependency options: ${opts.error.issues[0]!.message}`);
    const project = opts.data.project ?? this.referenceTo(upstream);
    const ref = `${project}|${upstream.slug}`;
    const entry: ExperimentDependency = { ref, experiment: upstream };
    const i = this.deps.findIndex((d) => d.experiment.shortSlug === upstream.shortSlug);
    if (i >= 0) this.deps[i] = entry;
    else this.deps.push(entry);
    this.touch();
    return ref;
  }

  /**
   * Copy an artifact into a repository as its next version (SPEC 3.3). Not
   * saved yet → logged like `repository.logArtifact` (the caller saves). On
   * disk → its file is streamed into the repository (across backends too) and
   * the repository is saved; if that save fails, the copy is removed. The
   * artifact must be newer than the repository's latest version of that name
   * (`ArtifactLogError`); an unknown name throws `ArtifactLoadError`.
   *
   * @example
   * const repo = await Repository.open("repository.json");
   * await project.get("tuned-model").promoteArtifact(repo, "features");
   */
  promoteArtifact(repository: Repository, name: string): Promise<ArtifactRecord> {
    return promoteArtifact(
      { owner: `experiment "${this.slug}"`, storage: this.ctx.storage, hash: this.ctx.hash, state: (n) => this.artifactList.state(n) },
      repository,
      name,
    );
  }

  /**
   * The experiment as stored in project.json (keys sorted when serialized).
   *
   * @example
   * JSON.stringify(exp.toJSON());
   */
  toJSON(): Record<string, unknown> {
    return sortKeysDeep({
      ...this.extra,
      artifacts: this.artifactList.toJSON(),
      author: this.author,
      created_at: formatEpochSeconds(this.createdSeconds),
      dependencies: this.deps.map((d) => d.ref),
      last_updated: formatEpochSeconds(this.lastUpdatedSeconds),
      last_updated_by: this._lastUpdatedBy,
      metrics: { ...this._metrics },
      name: this.name,
      parameters: { ...this._parameters },
      short_slug: this.shortSlug,
      slug: this.slug,
      tags: [...this._tags],
      tests: this.tests.map((t) => t.toJSON()),
    });
  }

  // ------------------------------------------------------------ internals (used by Project)

  /** @internal The artifact state (promotion). */
  artifactState(name: string): ArtifactState | undefined {
    return this.artifactList.state(name);
  }

  /**
   * @internal Before anything is written: the entry must be writable as JSON
   * without losing a value, and every new artifact's handler must accept its
   * value; else `SaveError` naming the item.
   */
  async prepareSave(): Promise<void> {
    const problem = jsonValueProblem(this.toJSON(), `experiment "${this.slug}"`);
    if (problem !== null) {
      throw new SaveError(`cannot save ${problem}, which project.json cannot hold; nothing was written`, { cause: new TypeError(problem) });
    }
    await this.artifactList.prepare();
    for (const t of this.tests) await t.artifactStore.prepare();
  }

  /** @internal Write artifact files not written yet (experiment's, then tests'). */
  async writePendingArtifacts(): Promise<void> {
    await this.artifactList.writePending();
    for (const t of this.tests) await t.artifactStore.writePending();
  }

  /** @internal Remove files written since the last commit. */
  async rollbackArtifacts(): Promise<void> {
    await this.artifactList.rollback();
    for (const t of this.tests) await t.artifactStore.rollback();
  }

  /** @internal Changes so far (a save only clears what it wrote). */
  get revision(): number {
    return this._revision;
  }

  /** @internal project.json was committed with this experiment as of `revision`. */
  markSaved(revision: number): void {
    this.artifactList.commit();
    for (const t of this.tests) t.artifactStore.commit();
    if (revision === this._revision) this._dirty = false;
  }

  /** @internal Set the dependencies resolved while loading. */
  attachDependencies(deps: ExperimentDependency[]): void {
    this.deps = [...deps];
  }

  private makeTest(name: string, description: string | null, entry?: TestEntry, attached = { value: true }): Test {
    return new Test(name, description, {
      storage: this.ctx.storage,
      handlers: this.ctx.handlers,
      hash: this.ctx.hash,
      folder: joinKey(this.path, slugifyOrFallback(name, "test")),
      owner: `test "${name}" of experiment "${this.slug}"`,
      ...(this.ctx.warn ? { warn: this.ctx.warn } : {}),
      readOnly: this.ctx.readOnly,
      touch: () => {
        if (attached.value) this.touch();
      },
      nowSeconds: () => this.nowSeconds(),
    }, entry);
  }

  private nowSeconds(): number {
    return clockSeconds(this.ctx.now);
  }

  /** Record a change: lastUpdated, lastUpdatedBy, dirty. */
  private touch(): void {
    this.lastUpdatedSeconds = this.nowSeconds();
    this._lastUpdatedBy = this.ctx.editor;
    this._dirty = true;
    this._revision++;
  }

  private assertWritable(action: string): void {
    if (this.ctx.readOnly) {
      throw new ReadOnlyError(
        `cannot ${action}: experiment "${this.slug}" is read-only (its project was opened with mode "r" or "a"; use "w+" to edit existing experiments)`,
      );
    }
  }

  /** How this experiment's project file refers to `upstream`'s project. */
  private referenceTo(upstream: Experiment): string {
    const named = this.ctx.registry.nameOf({ storage: upstream.storage, key: upstream.projectKey });
    if (named !== undefined) return named;
    const inOneObjectStore = objectStoreReference(this.ctx.projectLocation, upstream);
    if (inOneObjectStore !== undefined) return inOneObjectStore;
    if (upstream.storage === this.ctx.storage) return relativeTo(dirnameKey(this.ctx.projectKey), upstream.projectKey);
    const from = this.ctx.projectLocation;
    const to = upstream.projectLocation;
    if (!hasScheme(from) && !hasScheme(to) && isAbsoluteLocation(from) === isAbsoluteLocation(to) && !from.includes("\\") && !to.includes("\\")) {
      return relativeTo(dirnameOf(from), to);
    }
    return isAbsoluteLocation(to) ? to : absoluteLocation(upstream.storage, upstream.projectKey, to);
  }
}

/**
 * Python lazyscribe on s3fs writes a dependency as `bucket/folder/project.json`
 * and reads it back with the referencing project's scheme; a relative
 * reference would send it to a bucket named after the file. So when both
 * projects live in one kind of object store (opened by `s3://…` locations),
 * write Python's form; our resolver reads it too. Else undefined.
 */
function objectStoreReference(from: string, upstream: Experiment): string | undefined {
  const scheme = objectStoreScheme(from);
  if (scheme === undefined) return undefined;
  const to = absoluteLocation(upstream.storage, upstream.projectKey, upstream.projectLocation);
  return to.startsWith(`${scheme}://`) ? to.slice(scheme.length + 3) : undefined;
}

/**
 * Where a project file is, in a form that means the same from any backend: a
 * relative path (or a key of an explicit backend) would be looked up next to
 * the referencing project, on its backend (an S3 project naming
 * `runs/project.json` would look in S3). Local files give their absolute path,
 * URL-described backends (`s3://bucket/folder`) their full location; else
 * `fallback` as it was given.
 */
function absoluteLocation(storage: StorageBackend, key: string, fallback: string): string {
  const d = storage.description.replace(/\/+$/, "");
  if (d.startsWith("file:///")) return joinKey(d.slice("file://".length), key);
  if (objectStoreScheme(d) !== undefined) return `${d}/${key}`;
  return fallback;
}

function assertKey(name: unknown, what: string): void {
  if (typeof name !== "string" || name.length === 0) throw new LazyscribeError(`a ${what} needs a non-empty string name`);
}
