import { ReadOnlyError, setOwn, type ArtifactRecord } from "@lazyscribe/core/internal";
import { ArtifactList, type ArtifactContext } from "./ArtifactList.js";
import type { ArtifactLoadOptions, ArtifactLogOptions, DynamicArtifactLogOptions } from "./options.js";
import type { TestEntry } from "./projectFile.js";

/** What a test needs from its experiment. @internal */
export interface TestContext extends ArtifactContext {
  readonly readOnly: boolean;
  /** Record a change on the experiment (lastUpdated, lastUpdatedBy, dirty). */
  touch(): void;
  /** The experiment clock, epoch seconds. */
  nowSeconds(): number;
}

/**
 * A sub-population test of an experiment: its own metrics, parameters and
 * artifacts (stored under `<experiment slug>/<slug(test name)>/`). Created by
 * `Experiment.logTest`; tests of read-only experiments throw `ReadOnlyError`
 * on every change.
 *
 * @example
 * await exp.logTest("Young customers", async (t) => {
 *   t.logMetric("accuracy", 0.7);
 *   t.logArtifact("confusion", [[5, 1], [2, 9]], { handler: "json" });
 * }, { description: "age < 30" });
 */
export class Test {
  private readonly _metrics: Record<string, unknown>;
  private readonly _parameters: Record<string, unknown>;
  private readonly artifactList: ArtifactList;
  private readonly extra: Record<string, unknown>;

  /** @internal Use `Experiment.logTest`. */
  constructor(
    readonly name: string,
    readonly description: string | null,
    private readonly ctx: TestContext,
    entry?: Pick<TestEntry, "metrics" | "parameters" | "artifacts" | "extra">,
  ) {
    this._metrics = { ...(entry?.metrics ?? {}) };
    this._parameters = { ...(entry?.parameters ?? {}) };
    this.extra = { ...(entry?.extra ?? {}) };
    this.artifactList = new ArtifactList(ctx, entry?.artifacts ?? []);
    if (ctx.readOnly) {
      Object.freeze(this._metrics);
      Object.freeze(this._parameters);
    }
  }

  /** Metrics by name. */
  get metrics(): Readonly<Record<string, unknown>> {
    return this._metrics;
  }

  /** Parameters by name. */
  get parameters(): Readonly<Record<string, unknown>> {
    return this._parameters;
  }

  /** Artifact records (version 0, not versioned), in logging order. */
  get artifacts(): ArtifactRecord[] {
    return this.artifactList.records;
  }

  /** Storage key of the folder holding this test's artifacts. */
  get path(): string {
    return this.ctx.folder;
  }

  /** True when the test belongs to a read-only experiment. */
  get readOnly(): boolean {
    return this.ctx.readOnly;
  }

  /**
   * Log (or overwrite) a metric.
   *
   * @example
   * t.logMetric("accuracy", 0.7);
   */
  logMetric(name: string, value: number | readonly number[]): void {
    this.assertWritable(`log metric "${name}"`);
    setOwn(this._metrics, name, Array.isArray(value) ? [...value] : value);
    this.ctx.touch();
  }

  /**
   * Log (or overwrite) a parameter.
   *
   * @example
   * t.logParameter("min_age", 0);
   */
  logParameter(name: string, value: unknown): void {
    this.assertWritable(`log parameter "${name}"`);
    setOwn(this._parameters, name, value);
    this.ctx.touch();
  }

  /**
   * Log an artifact into the test folder; written when the project is saved.
   * A second artifact with the same name throws `ArtifactLogError` unless
   * `{ overwrite: true }`.
   *
   * @example
   * t.logArtifact("confusion", [[5, 1], [2, 9]], { handler: "json" });
   */
  logArtifact<const Alias extends string = never>(name: string, value: unknown, options?: ArtifactLogOptions<Alias> & { handler?: Alias }): ArtifactRecord {
    // `& { handler?: Alias }`: see core's `Repository.logArtifact` (inference needs a plain place for the alias).
    this.assertWritable(`log artifact "${name}"`);
    const record = this.artifactList.log(name, value, (options === undefined ? {} : options) as DynamicArtifactLogOptions, this.ctx.nowSeconds());
    this.ctx.touch();
    return record;
  }

  /**
   * Load a saved artifact of this test (hash verified when recorded).
   *
   * @example
   * const confusion = await t.loadArtifact<number[][]>("confusion");
   */
  loadArtifact<T = unknown>(name: string, options: ArtifactLoadOptions = {}): Promise<T> {
    return this.artifactList.load<T>(name, options);
  }

  /** @internal The artifact list (saving). */
  get artifactStore(): ArtifactList {
    return this.artifactList;
  }

  /**
   * The test as stored in project.json.
   *
   * @example
   * JSON.stringify(t.toJSON()); // {"artifacts":[],"description":"age < 30",...}
   */
  toJSON(): Record<string, unknown> {
    return {
      ...this.extra,
      artifacts: this.artifactList.toJSON(),
      description: this.description,
      metrics: { ...this._metrics },
      name: this.name,
      parameters: { ...this._parameters },
    };
  }

  private assertWritable(action: string): void {
    if (this.ctx.readOnly) {
      throw new ReadOnlyError(`cannot ${action}: test "${this.name}" belongs to a read-only experiment (${this.ctx.owner})`);
    }
  }
}
