import {
  LazyscribeError,
  ReadOnlyError,
  SaveError,
  commitWithRetry,
  clockSeconds,
  defaultHandlers,
  defaultHash,
  hashFor,
  emitWarning,
  isLazyscribeError,
  joinKey,
  lockState,
  parseOptions,
  readConsistent,
  resolveLocation,
  type HandlerRegistry,
  type HashFactory,
  type Mode,
  type StorageBackend,
} from "@lazyscribe/core/internal";
import { adoptArtifactFiles } from "./adoptFiles.js";
import { defaultAuthor } from "./defaultAuthor.js";
import { DependencyResolver, type UpstreamTarget } from "./DependencyResolver.js";
import { ExperimentNotFoundError } from "./errors.js";
import { Experiment, type Awaitable, type ExperimentContext, type ExperimentDependency } from "./Experiment.js";
import { mergeEntries, type OwnEntry } from "./mergeEntries.js";
import { ProjectOptionsSchema, type ParsedProjectOptions, type ProjectOptions } from "./options.js";
import { canonicalJson, parseProjectFile, serializeProjectFile, type ProjectFile } from "./projectFile.js";
import { registry as defaultRegistry, type ProjectRegistry } from "./ProjectRegistry.js";
import { StartOrderedList } from "./StartOrderedList.js";

/** How this instance commits an experiment (see {@link OwnEntry.intent}). */
interface CommitInfo {
  intent: "append" | "replace";
  baseline?: string;
}

/**
 * A project: `project.json` (an array of experiments, the Python lazyscribe
 * layout) plus one folder per experiment. Log experiments with {@link log},
 * commit with {@link save}; concurrent writers (other processes, other
 * instances) lose nothing — `save` merges by slug and commits with
 * compare-and-swap.
 *
 * @example
 * const project = await Project.open("project.json", { mode: "w", author: "alice" });
 * await project.log("my-experiment", async (exp) => {
 *   exp.logMetric("accuracy", 0.9);
 *   exp.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 });
 * });
 * await project.save();
 */
export class Project implements Iterable<Experiment> {
  private readonly list = new StartOrderedList<Experiment>();
  /** project.json entries as last read or written (kept verbatim for other writers' experiments). */
  private diskEntries: unknown[] = [];
  /** The exact text of entries read or written, so untouched entries keep their bytes. */
  private entryTexts = new WeakMap<object, string>();
  /** Etag of project.json as last read or written; null: it did not exist. */
  private baseEtag: string | null = null;
  /** Mode `w` replaces the file on its first save. */
  #replaceOnSave: boolean;
  private readonly commitInfo = new WeakMap<Experiment, CommitInfo>();
  /** Experiments adopted by `append` / `merge` that must be written even without changes. */
  private readonly adopted = new Set<Experiment>();
  private saving: Promise<unknown> = Promise.resolve();

  private constructor(
    /** The location the project was opened with. */
    readonly location: string,
    /** The backend holding project.json and the experiment folders. */
    readonly storage: StorageBackend,
    /** Key of project.json inside {@link storage}. */
    readonly key: string,
    readonly mode: Mode,
    /** Author of new experiments and of edits. */
    readonly author: string,
    readonly handlers: HandlerRegistry,
    /** Where dependencies are looked up by name first. */
    readonly registry: ProjectRegistry,
    /** @internal Opened with an explicit `storage` (then `location` is a key in it). */
    readonly explicitStorage: boolean,
    private readonly options: ParsedProjectOptions,
  ) {
    this.#replaceOnSave = mode === "w";
    // What may be written, and where, is fixed at open(): plain JS cannot reassign it either.
    lockState(this, ["location", "storage", "key", "mode", "author", "handlers", "registry", "explicitStorage"], "Project");
  }

  /**
   * Open (or start) a project. Modes: `r` read-only; `a` (default) existing
   * experiments read-only, new ones allowed; `w` start fresh; `w+` existing
   * experiments editable. Dependencies of loaded experiments are resolved
   * (registry first, then as locations) and opened read-only, once each.
   *
   * @example
   * const p = await Project.open("project.json", { mode: "r" });
   * p.get("baseline-model").metrics.accuracy; // 0.81
   */
  static async open(location: string, options: ProjectOptions = {}): Promise<Project> {
    const opts = parseOptions(ProjectOptionsSchema, options, "Project.open");
    const { storage, key } = resolveLocation(location, opts.storage);
    const project = new Project(
      location, storage, key, opts.mode, opts.author ?? defaultAuthor(), opts.handlers ?? defaultHandlers(),
      opts.registry ?? defaultRegistry, opts.storage !== undefined, opts,
    );
    if (opts.mode !== "w") await project.load(project.newResolver());
    return project;
  }

  private newResolver(): DependencyResolver {
    return new DependencyResolver(this.registry, (target, resolver) => this.openUpstream(target, resolver));
  }

  /** Open an upstream project read-only with this project's handlers, clock and registry. */
  private async openUpstream(target: UpstreamTarget, resolver: DependencyResolver): Promise<Project> {
    const upstream = new Project(
      target.location, target.storage, target.key, "r", this.author, this.handlers, this.registry,
      target.explicitStorage, { ...this.options, mode: "r" },
    );
    await upstream.load(resolver);
    return upstream;
  }

  // ---------------------------------------------------------------- reading

  private async load(resolver: DependencyResolver): Promise<void> {
    const current = await this.readFile();
    resolver.register(this);
    if (!current) return;
    this.baseEtag = current.etag;
    this.diskEntries = current.file.raw;
    const readOnly = this.mode === "r" || this.mode === "a";
    const ctx = this.context(readOnly);
    const { entries, raw } = current.file;
    const experiments = entries.map((e, i) => {
      const exp = new Experiment({ ...e, dependencies: [] }, ctx, { dirty: false });
      this.commitInfo.set(exp, { intent: "replace", baseline: canonicalJson(raw[i]) });
      return exp;
    });
    this.list.reset(experiments);
    // Experiments exist before dependencies resolve, so self and circular references work.
    for (let i = 0; i < entries.length; i++) {
      const exp = experiments[i]!;
      const deps: ExperimentDependency[] = [];
      for (const ref of entries[i]!.dependencies) {
        deps.push({ ref, experiment: await resolver.resolve(ref, this, `experiment "${exp.slug}" in ${this.describeFile()}`) });
      }
      exp.attachDependencies(deps);
    }
  }

  /** Read project.json with an etag that belongs to exactly the bytes read; null if it does not exist. */
  private async readFile(): Promise<{ file: ProjectFile; etag: string } | null> {
    const current = await readConsistent(this.storage, this.key, this.describeFile());
    if (!current) return null;
    const file = parseProjectFile(this.describeFile(), current.data);
    file.texts?.forEach((t, i) => {
      const raw = file.raw[i];
      if (typeof raw === "object" && raw !== null) this.entryTexts.set(raw, t);
    });
    return { file, etag: current.etag };
  }

  /**
   * The project file for messages: a path for local files, else `<backend>/<key>`.
   *
   * @example
   * project.describeFile(); // "/data/ml/project.json"
   */
  describeFile(): string {
    const d = this.storage.description;
    return d.startsWith("file://") ? joinKey(d.slice("file://".length).replace(/\/$/, ""), this.key) : `${d.replace(/\/$/, "")}/${this.key}`;
  }

  private context(readOnly: boolean): ExperimentContext {
    return {
      storage: this.storage,
      projectKey: this.key,
      projectLocation: this.location,
      handlers: this.handlers,
      hash: (): HashFactory => hashFor(this.options.hash ?? defaultHash(), this.storage),
      now: () => this.now(),
      editor: this.author,
      registry: this.registry,
      readOnly,
      warn: (code, message) => emitWarning(this.options.onWarning, code, message),
    };
  }

  /**
   * The clock (UTC): the `now` option, else the real time.
   *
   * @example
   * project.now().toISOString();
   */
  now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }

  // ---------------------------------------------------------------- querying

  /**
   * The experiments, in project order (loaded ones first, then new ones in
   * the order their `log` calls started).
   *
   * @example
   * project.experiments.map((e) => e.slug);
   */
  get experiments(): Experiment[] {
    return this.list.values();
  }

  /**
   * Iterate over the experiments.
   *
   * @example
   * for (const exp of project) console.log(exp.name, exp.metrics);
   */
  [Symbol.iterator](): Iterator<Experiment> {
    return this.experiments[Symbol.iterator]();
  }

  /**
   * The experiment with this slug or short slug, or `undefined`: of several
   * with one slug the most recently updated, else the newest by `createdAt`.
   *
   * @example
   * project.find("nope"); // undefined
   */
  find(slugOrShortSlug: string): Experiment | undefined {
    // As Python lazyscribe (experiments kept sorted, the last match wins): among
    // experiments of one slug the most recently updated, across slugs the newest
    // created; on a tie, the one listed later.
    let best: Experiment | undefined;
    for (const e of this.list.values()) {
      if (e.slug !== slugOrShortSlug && e.shortSlug !== slugOrShortSlug) continue;
      if (!best) best = e;
      else if (e.slug === best.slug ? e.lastUpdated.getTime() >= best.lastUpdated.getTime() : e.createdAt.getTime() >= best.createdAt.getTime()) best = e;
    }
    return best;
  }

  /**
   * The experiment with this slug or short slug (of several with one slug
   * the most recently updated, as Python lazyscribe; else the newest by
   * `createdAt`); none → `ExperimentNotFoundError` (code `EXPERIMENT_NOT_FOUND`).
   *
   * @example
   * project.get("baseline-model");                 // by short slug
   * project.get("baseline-model-20250302100000");  // by slug
   */
  get(slugOrShortSlug: string): Experiment {
    const e = this.find(slugOrShortSlug);
    if (!e) {
      const slugs = this.list.values().map((x) => x.slug);
      throw new ExperimentNotFoundError(
        `no experiment with slug or short slug "${slugOrShortSlug}" in ${this.describeFile()}` +
          (slugs.length ? ` (experiments: ${slugs.slice(0, 10).join(", ")}${slugs.length > 10 ? ", ..." : ""})` : " (it has no experiments)"),
      );
    }
    return e;
  }

  /**
   * True when an experiment has this slug or short slug.
   *
   * @example
   * project.has("tuned-model"); // true
   */
  has(slugOrShortSlug: string): boolean {
    return this.find(slugOrShortSlug) !== undefined;
  }

  /**
   * The experiments for which `fn` returns true.
   *
   * @example
   * project.filter((e) => e.tags.includes("candidate"));
   */
  filter(fn: (experiment: Experiment, index: number) => boolean): Experiment[] {
    return this.list.values().filter((e, i) => fn(e, i));
  }

  /**
   * The on-disk form: an array of experiments, keys sorted (as Python writes
   * project.json; serialize with `serializeProjectFile` to keep `NaN`).
   *
   * @example
   * const entries = project.toJSON();
   */
  toJSON(): Array<Record<string, unknown>> {
    return this.list.values().map((e) => e.toJSON());
  }

  /** True when `save()` has something to commit. */
  get dirty(): boolean {
    return this.#replaceOnSave || this.list.values().some((e) => this.mustCommit(e));
  }

  private mustCommit(e: Experiment): boolean {
    return this.adopted.has(e) || (!e.readOnly && e.dirty);
  }

  // ---------------------------------------------------------------- changing

  private assertWritable(action: string): void {
    if (this.mode === "r") {
      throw new ReadOnlyError(`cannot ${action}: ${this.describeFile()} is open read-only (mode "r"); open it with mode "a" or "w+"`);
    }
  }

  /**
   * Log an experiment: creates it (created now), runs `fn`, and adds it to the
   * project only if `fn` resolves. If `fn` throws, the project is unchanged
   * and the error propagates. Nothing is written until {@link save}.
   *
   * @example
   * const exp = await project.log("Tuned model", async (exp) => {
   *   exp.logMetric("accuracy", 0.88);
   * });
   */
  async log(name: string, fn: (experiment: Experiment) => Awaitable<void>): Promise<Experiment> {
    this.assertWritable("log an experiment");
    if (typeof name !== "string" || name.trim() === "") throw new LazyscribeError("an experiment needs a non-empty name");
    if (typeof fn !== "function") throw new LazyscribeError(`log("${name}", fn): fn must be a function`);
    const exp = new Experiment({ name, author: this.author, createdSeconds: clockSeconds(() => this.now()) }, this.context(false), { dirty: true });
    const slot = this.list.reserve();
    try {
      await fn(exp);
    } catch (err) {
      this.list.cancel(slot);
      throw err;
    }
    this.list.fill(slot, exp);
    this.commitInfo.set(exp, { intent: "append" });
    return exp;
  }

  /**
   * Add an experiment (e.g. from another project) as a new entry; it is
   * written on the next {@link save}, which also copies its artifact files
   * into this project's folder when they live elsewhere.
   *
   * @example
   * project.append(other.get("feature-build"));
   */
  append(experiment: Experiment): void {
    this.assertWritable("append an experiment");
    if (!(experiment instanceof Experiment)) throw new LazyscribeError("append() needs an Experiment");
    this.list.push(experiment);
    this.adopted.add(experiment);
    if (!this.commitInfo.has(experiment)) this.commitInfo.set(experiment, { intent: "append" });
  }

  /**
   * A new project with the experiments of this one and `others`: the union by
   * slug (the newest `lastUpdated` wins an equal slug; ties keep the earlier
   * project's), sorted by creation time. It has this project's location,
   * mode, author and options; saving it writes the union into this project's
   * file (merged with whatever other writers committed).
   *
   * @example
   * const merged = mine.merge(theirs);
   * await merged.save();
   */
  merge(...others: Project[]): Project {
    const winners = new Map<string, Experiment>();
    for (const p of [this, ...others]) {
      if (!(p instanceof Project)) throw new LazyscribeError("merge() takes Projects");
      for (const e of p.list.values()) {
        const cur = winners.get(e.slug);
        if (!cur || e.lastUpdated.getTime() > cur.lastUpdated.getTime()) winners.set(e.slug, e);
      }
    }
    const merged = [...winners.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const p = new Project(
      this.location, this.storage, this.key, this.mode, this.author, this.handlers, this.registry, this.explicitStorage, this.options,
    );
    p.diskEntries = this.diskEntries;
    p.entryTexts = this.entryTexts;
    p.baseEtag = this.baseEtag;
    p.#replaceOnSave = this.#replaceOnSave;
    const mine = new Set(this.list.values());
    for (const e of merged) {
      const info = this.commitInfo.get(e);
      if (mine.has(e) && info) {
        p.commitInfo.set(e, info);
        if (this.adopted.has(e)) p.adopted.add(e);
      } else {
        p.commitInfo.set(e, { intent: "replace" });
        p.adopted.add(e);
      }
    }
    p.list.reset(merged);
    return p;
  }

  /**
   * Commit: write the new artifact files of new and edited experiments and
   * their tests (created exclusively, never overwriting), then merge with
   * what other writers committed meanwhile (by slug: theirs are kept, this
   * instance's new and edited experiments win) and replace project.json with
   * compare-and-swap, retrying with jittered backoff; `ConflictError` after
   * the bounded retries, with the files this save wrote removed again.
   *
   * @example
   * await project.save();
   */
  save(): Promise<void> {
    this.assertWritable("save");
    const run = this.saving.then(() => this.saveNow());
    this.saving = run.catch(() => undefined);
    return run;
  }

  private async saveNow(): Promise<void> {
    const toCommit = this.list.values().filter((e) => this.mustCommit(e));
    if (toCommit.length === 0 && !this.#replaceOnSave) return;
    const writers = toCommit.filter((e) => !e.readOnly);
    const revisions = new Map(toCommit.map((e) => [e, e.revision]));
    const copied: string[] = [];
    // Nothing is written unless every entry serializes and every handler accepts its value.
    for (const e of toCommit) if (!e.readOnly || this.adopted.has(e)) await e.prepareSave();
    try {
      for (const e of writers) await e.writePendingArtifacts();
      for (const e of toCommit) if (this.adopted.has(e)) await adoptArtifactFiles(e, this.storage, this.key, copied);
      await this.commit(toCommit);
    } catch (err) {
      for (const e of writers) await e.rollbackArtifacts();
      for (const key of copied) await this.storage.delete(key).catch(() => undefined);
      if (isLazyscribeError(err)) throw err;
      throw new SaveError(`saving ${this.describeFile()} failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
    for (const e of toCommit) {
      e.markSaved(revisions.get(e)!);
      this.adopted.delete(e);
    }
  }

  private async commit(toCommit: Experiment[]): Promise<void> {
    const own: OwnEntry[] = toCommit.map((e) => {
      const info = this.commitInfo.get(e) ?? { intent: "append" as const };
      return { slug: e.slug, json: e.toJSON(), intent: info.intent, ...(info.baseline !== undefined ? { baseline: info.baseline } : {}) };
    });
    await commitWithRetry(this.storage, this.key, this.describeFile(), this.options.retry, async () => {
      let base: unknown[] = [];
      let etag: string | null = null;
      if (!this.#replaceOnSave) {
        const stat = await this.storage.stat(this.key);
        if ((stat?.etag ?? null) === this.baseEtag) {
          [base, etag] = [this.diskEntries, this.baseEtag];
        } else {
          const current = await this.readFile();
          [base, etag] = [current?.file.raw ?? [], current?.etag ?? null];
        }
      }
      const merged = mergeEntries(base, own);
      return {
        etag,
        body: serializeProjectFile(merged, this.entryTexts),
        unconditional: this.#replaceOnSave,
        committed: (written) => {
          this.baseEtag = written.etag;
          this.diskEntries = merged;
          this.#replaceOnSave = false;
          own.forEach((o, i) => this.commitInfo.set(toCommit[i]!, { intent: "replace", baseline: canonicalJson(o.json) }));
        },
      };
    });
  }
}
