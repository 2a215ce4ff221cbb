import { createTwoFilesPatch } from "diff";
import { pythonVersionDiff } from "../diff/unifiedDiff.js";
import { emitWarning, type WarningCode } from "../warnings.js";
import { defaultHandlers, defaultHash, resolveLocation } from "../defaults.js";
import {
  ArtifactLoadError,
  ArtifactLogError,
  ArtifactNotFoundError,
  IntegrityError,
  InvalidVersionError,
  ReadOnlyError,
  SaveError,
  VersionNotFoundError,
  isLazyscribeError,
} from "../errors.js";
import type { ArtifactHandler } from "../handlers/ArtifactHandler.js";
import type { HandlerRegistry } from "../handlers/HandlerRegistry.js";
import { hashFor, type HashFactory } from "../hashing/Sha256.js";
import { appendToManifest, parseManifest, serializeManifest } from "../manifest/manifestCodec.js";
import { assertNotReserved, assertValidFname, assertValidName } from "../names.js";
import { resolveVersion, type Match, type VersionSpec } from "../resolution/resolveVersion.js";
import { buildIndexes, VersionIndex } from "../resolution/VersionIndex.js";
import { slugifyOrFallback } from "../slugify.js";
import { dirnameKey, joinKey } from "../storage/keys.js";
import type { ByteStream, StorageBackend, WritableData } from "../storage/StorageBackend.js";
import { iterateStream } from "../storage/streams.js";
import { compactStamp, formatEpochSeconds, toEpochSeconds } from "../time.js";
import { ArtifactRecord, type ArtifactMetadata } from "./ArtifactRecord.js";
import { clockSeconds, parseOptions, RepositoryOptionsSchema, type Mode, type ParsedRepositoryOptions, type RepositoryOptions } from "./options.js";
import { verifiedSource, verifyingStream } from "./verifiedSource.js";
import { readConsistent } from "../storage/readConsistent.js";
import { commitWithRetry } from "./commitWithRetry.js";
import { isOneShot, preparedValue, preparedOutput, writeArtifactFile } from "./writeArtifactFile.js";
import { lockState } from "./lockState.js";
import { assertKnownOptions } from "../options/exactOptions.js";
import type { ExactLogOptions, KnownReadOptions } from "../options/handlerOptions.js";

/** Which version to use: `version` (integer or time) and how to `match` it. */
export interface VersionQuery {
  version?: VersionSpec;
  match?: Match;
}

/**
 * Options of `loadArtifact`: the version query, checks, and the reader options
 * of every known handler ({@link HandlerReadOptionsMap}). No index signature,
 * so a misspelt key such as `mtch` is a compile error.
 *
 * @example
 * await repo.loadArtifact("features", { version: 0, match: "exact", verify: false } satisfies LoadOptions);
 */
export type LoadOptions = VersionQuery & LoadCheckOptions & KnownReadOptions;

/** The checks `loadArtifact` runs (part of {@link LoadOptions}). */
export interface LoadCheckOptions {
  /** Verify size and sha256 against the manifest (default true). */
  verify?: boolean;
  /** Check the handler's stored environment, e.g. node_version (default true). */
  validate?: boolean;
}

/** The `logArtifact` options every handler takes. */
export interface LogBaseOptions {
  /** File name; default `<slug(name)>-<YYYYMMDDHHMMSS>.<suffix>`, made unique. */
  fname?: string;
  /** Creation time (default: the clock). Used when importing or promoting. */
  createdAt?: Date | string;
}

/**
 * `logArtifact` options with a handler alias known only at run time (a CLI
 * flag, a config file): writer options cannot be checked by the compiler,
 * so any key is accepted here and checked at run time (`INVALID_OPTION`).
 *
 * @example
 * const alias: string = process.argv[2] ?? "json";
 * repo.logArtifact("features", [0, 1, 2], { handler: alias } satisfies DynamicLogOptions);
 */
export interface DynamicLogOptions extends LogBaseOptions {
  /** Handler alias; default from the value (bytes/stream → bytes, string → text, else json). */
  handler?: string;
  [writerOption: string]: unknown;
}

/**
 * Options of `logArtifact`, exact for the handler they name:
 * - no `handler`: {@link LogBaseOptions} and the default handlers' writer options ({@link DefaultWriteOptions});
 * - a literal alias in {@link HandlerWriteOptionsMap}: base options, `handler`, and that handler's writer options;
 * - an alias typed `string` (dynamic): {@link DynamicLogOptions}, checked at run time only;
 * - a literal alias the map does not know: a compile error.
 *
 * @example
 * repo.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 } satisfies LogOptions<"json">);
 * // @ts-expect-error -- misspelt option
 * repo.logArtifact("features", [0, 1, 2], { handler: "json", indnt: 4 });
 */
export type LogOptions<Alias extends string = never> = ExactLogOptions<LogBaseOptions, Alias, DynamicLogOptions>;

/** A file whose content comes from elsewhere (promotion, import), streamed on save. */
export interface FileSource {
  open(): Promise<ByteStream>;
  size?: number;
  sha256?: string;
}

/** A problem found by `verify()`. */
export interface VerifyProblem {
  name: string;
  version: number;
  fname: string;
  /** `missing`, `size`, or `sha256`. */
  problem: "missing" | "size" | "sha256";
  detail: string;
}

/** What `gc()` found (and removed unless `dryRun`). */
export interface GcResult {
  /** Keys (relative to the storage root) of unreferenced files. */
  orphans: string[];
  /** Orphans left alone because they are newer than the grace period. */
  skippedRecent: string[];
  removed: boolean;
  /** Interrupted uploads the backend cleaned up (S3: incomplete multipart uploads older than the grace period). */
  incompleteUploads?: string[];
}

interface Pending {
  record: ArtifactRecord;
  handler: ArtifactHandler;
  value?: unknown;
  file?: FileSource;
  writerOptions: Record<string, unknown>;
  /** Auto-generated names (`<stem>.<suffix>`) may be renamed on collision; explicit ones may not. */
  autoStem?: { stem: string; suffix: string };
  written: boolean;
}

const WRITER_RESERVED = new Set(["handler", "fname", "createdAt"]);
const QUERY_KEYS = ["version", "match"];
const LOAD_KEYS = ["version", "match", "verify", "validate"];

/**
 * Versioned artifacts with time travel and expiry, stored as `repository.json`
 * plus `<name>/<fname>` files — the same format as Python lazyscribe.
 *
 * @example
 * const repo = await Repository.open("repository.json", { mode: "w" });
 * repo.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 });
 * await repo.save();
 * const latest = await (await Repository.open("repository.json", { mode: "r" })).loadArtifact("features");
 */
export class Repository {
  /** Manifest order: committed records, then unsaved ones. */
  private records: ArtifactRecord[] = [];
  private indexes = new Map<string, VersionIndex>();
  private pending: Pending[] = [];
  private expiryEdits = new Map<ArtifactRecord, number | null>();
  /** Etag of the manifest we last read or wrote; null: it did not exist. */
  private baseEtag: string | null = null;
  /** `w` mode replaces the manifest on its first save. */
  #replaceOnSave: boolean;
  /**
   * The manifest bytes that `baseEtag` names (writable modes only), so a save
   * that only adds versions appends to them instead of re-serializing
   * every entry.
   */
  private baseBytes: Uint8Array | null = null;

  private constructor(
    readonly location: string,
    readonly storage: StorageBackend,
    /** The manifest's key inside `storage`. */
    readonly manifestKey: string,
    readonly mode: Mode,
    readonly handlers: HandlerRegistry,
    private readonly options: ParsedRepositoryOptions,
  ) {
    this.#replaceOnSave = mode === "w";
    // What may be written, and where, is fixed at open(): plain JS cannot reassign it either.
    lockState(this, ["location", "storage", "manifestKey", "mode", "handlers"], "Repository");
  }

  /**
   * Open (or start) a repository. Nothing is written until `save()`.
   * Where no manifest exists yet, every mode (`r` included) gives an empty
   * repository, as Python lazyscribe does; check `repo.names().length` or the
   * file yourself when a missing repository is an error for you (the CLI says
   * "no repository at PATH").
   *
   * @example
   * const repo = await Repository.open("data/repository.json", { mode: "a" });
   */
  static async open(location: string, options: RepositoryOptions = {}): Promise<Repository> {
    const opts = parseOptions(RepositoryOptionsSchema, options, "Repository.open");
    const { storage, key } = resolveLocation(location, opts.storage);
    const repo = new Repository(location, storage, key, opts.mode, opts.handlers ?? defaultHandlers(), opts);
    if (opts.mode !== "w") await repo.reload();
    return repo;
  }

  /** Deliver a warning to `onWarning` (or the process-wide default). */
  private warn(code: WarningCode, message: string): void {
    emitWarning(this.options.onWarning, code, message);
  }

  /** The clock (UTC). */
  now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }

  private nowSeconds(): number {
    return clockSeconds(this.options.now ?? (() => new Date()));
  }

  private get hash(): HashFactory {
    return hashFor(this.options.hash ?? defaultHash(), this.storage);
  }

  /** Folder key that holds `<name>/<fname>` files. */
  get folder(): string {
    return dirnameKey(this.manifestKey);
  }

  /** Storage key of an artifact file. */
  artifactKey(record: Pick<ArtifactMetadata, "name" | "fname">): string {
    return joinKey(this.folder, record.name, record.fname);
  }

  // ---------------------------------------------------------------- reading

  /** Re-read the manifest, dropping nothing that is unsaved. */
  private async reload(): Promise<void> {
    const current = await this.readManifest();
    this.baseEtag = current.etag;
    this.baseBytes = this.mode === "r" ? null : current.data;
    this.setCommitted(current.records);
  }

  /** Read the manifest with an etag that belongs to exactly the bytes read. */
  private async readManifest(): Promise<{ records: ArtifactRecord[]; etag: string | null; data: Uint8Array | null }> {
    const current = await readConsistent(this.storage, this.manifestKey, this.describeManifest());
    if (!current) return { records: [], etag: null, data: null };
    return { records: parseManifest(this.describeManifest(), current.data), etag: current.etag, data: current.data };
  }

  private describeManifest(): string {
    return this.storage.description.startsWith("file://")
      ? joinKey(this.storage.description.slice("file://".length).replace(/\/$/, ""), this.manifestKey)
      : `${this.storage.description.replace(/\/$/, "")}/${this.manifestKey}`;
  }

  private setCommitted(committed: ArtifactRecord[]): void {
    this.records = committed;
    this.indexes = buildIndexes(committed);
    for (const p of this.pending) this.indexFor(p.record.name).add(p.record);
    for (const idx of this.indexes.values()) idx.finish();
  }

  /** Rebuild the indexes of some names from the current records (after renumbering). */
  private reindex(names: Set<string>): void {
    if (names.size === 0) return;
    for (const n of names) this.indexes.set(n, new VersionIndex(n));
    for (const r of this.records) if (names.has(r.name)) this.indexes.get(r.name)!.add(r);
    for (const n of names) this.indexes.get(n)!.finish();
  }

  private indexFor(name: string): VersionIndex {
    let idx = this.indexes.get(name);
    if (!idx) {
      idx = new VersionIndex(name);
      this.indexes.set(name, idx);
    }
    return idx;
  }

  private find(name: string, query: VersionQuery = {}): ArtifactRecord {
    if (typeof name !== "string") throw new ArtifactNotFoundError(`artifact name must be a string, not ${typeof name}`);
    const idx = this.indexes.get(name);
    if (!idx || idx.byTime.length === 0) {
      throw new ArtifactNotFoundError(
        `no artifact named "${name}" in ${this.describeManifest()}` + (this.indexes.size ? ` (artifacts: ${[...this.indexes.keys()].slice(0, 10).join(", ")})` : ""),
      );
    }
    return resolveVersion(idx, query, this.nowSeconds());
  }

  /** True if at least one version of `name` exists (saved or not). */
  has(name: string): boolean {
    return (this.indexes.get(name)?.byTime.length ?? 0) > 0;
  }

  /** Artifact names, in order of first appearance. */
  names(): string[] {
    return [...this.indexes.keys()].filter((n) => this.has(n));
  }

  /** Every version of `name`, oldest version number first. Unknown name → `ArtifactNotFoundError`. */
  versions(name: string): ArtifactRecord[] {
    const idx = this.indexes.get(name);
    if (!idx) throw new ArtifactNotFoundError(`no artifact named "${name}" in ${this.describeManifest()}`);
    return idx.versions();
  }

  /** Every version of every artifact, manifest order, then unsaved ones. */
  get artifacts(): ArtifactRecord[] {
    return [...this.records, ...this.pending.map((p) => p.record)];
  }

  /** True when there are unsaved versions or expiry changes. */
  get dirty(): boolean {
    return this.pending.length > 0 || this.expiryEdits.size > 0;
  }

  /**
   * Metadata of the version a query selects (no I/O).
   *
   * @example
   * repo.getArtifactMetadata("features", { version: "2025-01-07T00:00:00", match: "asof" }).version;
   */
  getArtifactMetadata(name: string, query: VersionQuery = {}): ArtifactMetadata {
    assertKnownOptions(query ?? {}, QUERY_KEYS, "getArtifactMetadata() query");
    return this.find(name, query).toMetadata();
  }

  /**
   * Load an artifact's value: latest valid by default, or by version / time.
   * Verifies size and sha256 unless `verify: false`.
   *
   * @example
   * await repo.loadArtifact("features", { version: new Date("2025-01-31"), match: "asof" });
   */
  async loadArtifact<T = unknown>(name: string, options: LoadOptions = {}): Promise<T> {
    const { version, match, verify = true, validate = true, ...readerOptions } = options;
    const record = this.find(name, { version, match });
    this.assertSaved(record, "load");
    const handler = this.handlers.get(record.handler, ` (artifact "${name}" version ${record.version}, file ${record.fname})`);
    if (handler.readOptions) assertKnownOptions(options, [...LOAD_KEYS, ...handler.readOptions], `loadArtifact() options (handler "${handler.alias}")`);
    if (validate) checkEnvironment(handler, record);
    const source = verifiedSource(this.storage, this.artifactKey(record), record.fname, verify ? record : null, this.hash);
    let value: T;
    try {
      value = (await handler.read(source, { ...readerOptions, environment: { ...record.extra }, validate })) as T;
    } catch (err) {
      throw wrapLoadError(err, `"${name}" version ${record.version} (${record.fname})`);
    }
    if (handler.outputOnly) this.warn("OUTPUT_ONLY", outputOnlyLoaded(name));
    return value;
  }

  /**
   * The raw bytes of an artifact file as a stream, verified at its end unless
   * `verify: false`. Works for every handler, registered or not.
   */
  async openArtifactStream(name: string, options: VersionQuery & { verify?: boolean } = {}): Promise<{ record: ArtifactRecord; stream: ByteStream }> {
    const record = this.find(name, options);
    this.assertSaved(record, "read");
    const key = this.artifactKey(record);
    let stream: ByteStream;
    try {
      stream = await this.storage.readStream(key);
    } catch (err) {
      throw wrapLoadError(err, `"${name}" version ${record.version} (${record.fname})`);
    }
    return { record, stream: options.verify === false ? stream : verifyingStream(stream, key, record, this.hash) };
  }

  /**
   * Unified diff of two versions' files (text handlers only), the same text
   * Python lazyscribe's `get_version_diff` returns:
   * `"\n".join(difflib.unified_diff(a.splitlines(), b.splitlines()))` —
   * `--- ` / `+++ ` headers without names, and `""` when nothing differs
   * (e.g. a version with itself). With one version, compares it with the
   * latest; two versions are compared oldest first, as Python sorts them.
   * `{ style: "patch" }` gives a `diff`-package patch instead, with
   * `<name>@<version>/<fname>` headers, in the order given (the CLI's output).
   *
   * @example
   * console.log(await repo.getVersionDiff("features", [0, 2]));
   */
  async getVersionDiff(
    name: string,
    versions: VersionSpec | [VersionSpec] | [VersionSpec, VersionSpec],
    options: { match?: Match; style?: "python" | "patch" } = {},
  ): Promise<string> {
    const list = Array.isArray(versions) ? versions : [versions];
    if (list.length < 1 || list.length > 2) throw new InvalidVersionError("getVersionDiff takes one or two versions");
    const style = options.style ?? "python";
    if (style !== "python" && style !== "patch") throw new InvalidVersionError(`getVersionDiff style must be "python" or "patch", not ${JSON.stringify(style)}`);
    let a = this.find(name, { version: list[0], match: options.match });
    let b = list.length === 2 ? this.find(name, { version: list[1], match: options.match }) : this.find(name);
    if (style === "python" && list.length === 2 && b.createdSeconds < a.createdSeconds) [a, b] = [b, a];
    if (a === b) this.warn("SAME_VERSION", `Only version '${a.version}' was supplied for comparison`);
    const texts: string[] = [];
    for (const r of [a, b]) {
      this.assertSaved(r, "diff");
      const handler = this.handlers.get(r.handler, ` (artifact "${name}" version ${r.version})`);
      if (handler.binary) {
        throw new ArtifactLoadError(`cannot diff "${name}" version ${r.version}: handler "${r.handler}" is binary`);
      }
      const source = verifiedSource(this.storage, this.artifactKey(r), r.fname, r, this.hash);
      // Python reads the file as UTF-8 text and keeps a byte order mark.
      texts.push(style === "python" ? new TextDecoder("utf-8", { ignoreBOM: true }).decode(await source.bytes()) : await source.text());
    }
    if (style === "python") return pythonVersionDiff(texts[0]!, texts[1]!);
    return createTwoFilesPatch(
      `${name}@${a.version}/${a.fname}`,
      `${name}@${b.version}/${b.fname}`,
      texts[0]!,
      texts[1]!,
    );
  }

  /**
   * A read-only view: the latest version of each name as of a time (names with
   * none are skipped), or exactly the given `[name, version]` pairs.
   * Requires a read-only repository with nothing unsaved.
   *
   * @example
   * const atRelease = repo.filter(release.artifacts);
   */
  filter(spec: Date | string | ReadonlyArray<readonly [string, number]>): Repository {
    if (this.mode !== "r") {
      throw new ReadOnlyError(`filter() needs a read-only repository: open ${this.describeManifest()} with { mode: "r" }`);
    }
    if (this.dirty) throw new ReadOnlyError("filter() needs a repository with nothing unsaved");
    const chosen = new Set<ArtifactRecord>();
    if (Array.isArray(spec)) {
      for (const pair of spec) {
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string" || typeof pair[1] !== "number") {
          throw new InvalidVersionError(`filter() expects [name, version] pairs, got ${JSON.stringify(pair)}`);
        }
        chosen.add(this.find(pair[0], { version: pair[1] }));
      }
    } else {
      const t = toEpochSeconds(spec as Date | string, "filter time");
      for (const idx of this.indexes.values()) {
        try {
          chosen.add(resolveVersion(idx, { version: new Date(t * 1000), match: "asof" }, t));
        } catch (err) {
          if (!(err instanceof VersionNotFoundError)) throw err;
          if (idx.byTime.length > 0) {
            this.warn("NO_VERSION_BEFORE", `Artifact '${idx.name}' does not have a version that predates ${typeof spec === "string" ? spec : formatEpochSeconds(t).replace("T", " ")}`);
          }
        }
      }
    }
    const view = new Repository(this.location, this.storage, this.manifestKey, "r", this.handlers, this.options);
    view.baseEtag = this.baseEtag;
    view.setCommitted(this.records.filter((r) => chosen.has(r)).map((r) => r.clone()));
    return view;
  }

  /** The manifest as Python writes it: an array of entries with sorted keys. */
  toJSON(): Array<Record<string, unknown>> {
    return this.artifacts.map((r) => r.toJSON());
  }

  // ---------------------------------------------------------------- writing

  private assertWritable(action: string): void {
    if (this.mode === "r") {
      throw new ReadOnlyError(`cannot ${action}: ${this.describeManifest()} is open read-only (mode "r"); open it with mode "a" or "w+"`);
    }
  }

  private assertSaved(record: ArtifactRecord, action: string): void {
    if (this.pending.some((p) => p.record === record)) {
      throw new ArtifactLoadError(`cannot ${action} "${record.name}" version ${record.version}: it is not saved yet; call save() first`);
    }
  }

  /**
   * Add a new version of `name`. Nothing is written until `save()`; the
   * version number is provisional until then (renumbered after versions other
   * writers committed meanwhile). Returns the record.
   *
   * @example
   * repo.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 });
   */
  logArtifact<const Alias extends string = never>(name: string, value: unknown, options?: LogOptions<Alias> & { handler?: Alias }): ArtifactRecord {
    // `& { handler?: Alias }` gives inference a plain place to read the alias
    // from; through the conditional type alone a literal widens to `string`.
    // Only `undefined` defaults: `null` from JavaScript is still refused below.
    this.assertWritable("log an artifact");
    return this.addPending(name, (options === undefined ? {} : options) as DynamicLogOptions, { value });
  }

  /**
   * Add a new version whose file content is streamed from `file` at save time
   * (used to promote experiment artifacts and copy between repositories).
   */
  logArtifactFile(name: string, file: FileSource, options: DynamicLogOptions & { handler: string; extra?: Record<string, unknown> }): ArtifactRecord {
    this.assertWritable("log an artifact");
    return this.addPending(name, options, { file });
  }

  private addPending(name: string, options: DynamicLogOptions & { extra?: Record<string, unknown> }, content: { value?: unknown; file?: FileSource }): ArtifactRecord {
    assertValidName(name);
    assertNotReserved(name, this.manifestKey.slice(this.manifestKey.lastIndexOf("/") + 1));
    if (typeof options !== "object" || options === null) throw new ArtifactLogError("logArtifact options must be an object");
    let handler: ArtifactHandler | undefined;
    if (options.handler !== undefined) {
      if (typeof options.handler !== "string") throw new ArtifactLogError("handler must be a string alias such as \"json\"");
      handler = content.file ? this.handlers.find(options.handler) : this.handlers.get(options.handler, ` (logging "${name}")`);
    } else {
      handler = this.handlers.chooseFor(content.value);
    }
    const alias = handler?.alias ?? options.handler!;
    if (handler?.writeOptions && !content.file) assertKnownOptions(options, [...WRITER_RESERVED, ...handler.writeOptions], `logArtifact() options (handler "${alias}")`);
    const created = options.createdAt !== undefined ? toEpochSeconds(options.createdAt, "createdAt") : this.nowSeconds();
    const idx = this.indexFor(name);
    let fname: string;
    let autoStem: Pending["autoStem"];
    if (options.fname !== undefined) {
      assertValidFname(options.fname);
      if (idx.byTime.some((r) => r.fname === options.fname)) {
        throw new ArtifactLogError(`"${name}" already has a version stored as ${options.fname}; choose another fname`);
      }
      fname = options.fname;
    } else {
      autoStem = { stem: `${slugifyOrFallback(name)}-${compactStamp(created)}`, suffix: handler?.suffix ?? "bin" };
      fname = this.uniqueFname(idx, autoStem.stem, autoStem.suffix);
    }
    const extra = { ...(options.extra ?? {}), ...(content.file ? {} : (handler?.environment?.() ?? {})) };
    const record = new ArtifactRecord(name, idx.maxVersion + 1, alias, fname, created, null, extra);
    const writerOptions: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(options)) if (!WRITER_RESERVED.has(k) && k !== "extra") writerOptions[k] = v;
    if (handler && !content.file) content = { value: preparedValue(handler, content.value, writerOptions, `"${name}"`) };
    this.pending.push({
      record,
      handler: handler!,
      ...content,
      writerOptions,
      ...(autoStem ? { autoStem } : {}),
      written: false,
    });
    idx.add(record);
    idx.finish();
    if (handler?.outputOnly && !content.file) this.warn("OUTPUT_ONLY", outputOnlyAdded(name));
    return record;
  }

  private uniqueFname(idx: VersionIndex, stem: string, suffix: string, from = 0): string {
    const taken = new Set(idx.byTime.map((r) => r.fname));
    for (let n = from; ; n++) {
      const fname = `${stem}${n === 0 ? "" : `-${n}`}.${suffix}`;
      if (!taken.has(fname)) return fname;
    }
  }

  /**
   * Drop an unsaved version (e.g. after a failed promotion). Returns false if
   * `record` is not pending. Saved versions cannot be discarded.
   */
  discard(record: ArtifactMetadata): boolean {
    const i = this.pending.findIndex((p) => p.record === record);
    if (i < 0) return false;
    const [removed] = this.pending.splice(i, 1);
    this.reindex(new Set([removed!.record.name]));
    for (const p of this.pending) if (p.record.name === removed!.record.name) this.indexFor(p.record.name).add(p.record);
    this.indexFor(removed!.record.name).finish();
    if (this.indexes.get(removed!.record.name)?.byTime.length === 0) this.indexes.delete(removed!.record.name);
    return true;
  }

  /**
   * Set (or clear with `null`) the expiry of a version. `version` defaults to
   * the latest, `expiry` to now. Mode `a` may only change unsaved versions.
   *
   * @example
   * repo.setArtifactExpiry("features", 0, "2025-12-25T00:00:00");
   */
  setArtifactExpiry(name: string, version?: VersionSpec, expiry?: Date | string | null, options: { match?: Match } = {}): ArtifactRecord {
    this.assertWritable("set an expiry");
    assertKnownOptions(options ?? {}, ["match"], "setArtifactExpiry() options");
    const record = this.find(name, { version, match: options.match });
    const isPending = this.pending.some((p) => p.record === record);
    if (this.mode === "a" && !isPending) {
      throw new ReadOnlyError(`cannot change "${name}" version ${record.version}: mode "a" only appends; open with mode "w+" to edit existing versions`);
    }
    const seconds = expiry === null ? null : expiry === undefined ? this.nowSeconds() : toEpochSeconds(expiry, "expiry");
    record.expirySeconds = seconds;
    if (!isPending) this.expiryEdits.set(record, seconds);
    return record;
  }

  /**
   * Commit: write new artifact files (created exclusively, never overwriting),
   * then merge with what other writers committed meanwhile and replace the
   * manifest with compare-and-swap, retrying with jittered backoff. After it
   * resolves, version numbers of new records are final.
   */
  async save(): Promise<void> {
    this.assertWritable("save");
    if (!this.dirty && !this.#replaceOnSave) return;
    const writtenNow: Pending[] = [];
    // Every value goes through its handler before any file is written: a refused one fails the save with nothing written.
    const contents = new Map<Pending, () => Promise<WritableData | ByteStream>>();
    for (const p of this.pending) {
      if (p.written) continue;
      contents.set(p, p.file ? () => p.file!.open() : await preparedOutput(p.handler, p.value, p.writerOptions, `"${p.record.name}" (handler "${p.handler.alias}")`));
    }
    try {
      for (const p of this.pending) {
        if (p.written) continue;
        await this.writeArtifactFile(p, contents.get(p)!);
        writtenNow.push(p);
      }
      await this.commitManifest();
    } catch (err) {
      // Nothing was committed: remove files this attempt wrote so they are not orphaned.
      for (const p of writtenNow) {
        await this.storage.delete(this.artifactKey(p.record)).catch(() => undefined);
        p.written = false;
      }
      if (isLazyscribeError(err)) throw err;
      throw new SaveError(`saving ${this.describeManifest()} failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
    // After the commit, as Python warns for each output-only file it wrote (a throwing handler cannot undo the save).
    for (const p of writtenNow) if (p.handler?.outputOnly && !p.file) this.warn("OUTPUT_ONLY", outputOnlyAdded(p.record.name));
  }

  private async writeArtifactFile(p: Pending, content: () => Promise<WritableData | ByteStream>): Promise<void> {
    this.assertWritable("write an artifact file");
    const r = p.record;
    const stem = p.autoStem;
    await writeArtifactFile({
      storage: this.storage,
      record: r,
      keyFor: (fname) => this.artifactKey({ name: r.name, fname }),
      content,
      replayable: p.file !== undefined || !isOneShot(p.value),
      ...(stem ? { rename: (attempt: number) => this.uniqueFname(this.indexFor(r.name), stem.stem, stem.suffix, attempt) } : {}),
      hash: this.hash,
    });
    p.written = true;
  }

  private commitManifest(): Promise<void> {
    this.assertWritable("save");
    return commitWithRetry(this.storage, this.manifestKey, this.describeManifest(), this.options.retry, async () => {
      let base: ArtifactRecord[] = [];
      let etag: string | null = null;
      let baseData: Uint8Array | null = null;
      let reused = false;
      if (!this.#replaceOnSave) {
        const stat = await this.storage.stat(this.manifestKey);
        if ((stat?.etag ?? null) === this.baseEtag) {
          [base, etag, baseData, reused] = [this.records, this.baseEtag, this.baseBytes, true];
        } else {
          const current = await this.readManifest();
          [base, etag, baseData] = [current.records, current.etag, current.data];
          this.applyExpiryEdits(base);
        }
      }
      const merged = this.mergePending(base);
      // Only new versions: append them to the bytes we read. Expiry edits change existing entries: rewrite all.
      // Entries without an `expiry` key (older manifests) are rewritten with `"expiry": null`, as Python's save does.
      const appended =
        baseData && this.expiryEdits.size === 0 && this.pending.length > 0 && !base.some((r) => r.expiryMissing)
          ? appendToManifest(baseData, this.pending.map((p) => p.record))
          : null;
      const body = appended ?? new TextEncoder().encode(serializeManifest(merged));
      return {
        etag,
        body,
        unconditional: this.#replaceOnSave,
        committed: (written) => {
          this.baseEtag = written.etag;
          this.baseBytes = body;
          this.#replaceOnSave = false;
          this.expiryEdits.clear();
          if (!appended) for (const r of merged) r.expiryMissing = undefined;
          const saved = this.pending.map((p) => p.record);
          this.pending = [];
          if (reused) {
            // Indexes already hold these records; only the saved names' numbers may have moved.
            this.records = merged;
            this.reindex(new Set(saved.map((r) => r.name)));
          } else {
            this.setCommitted(merged);
          }
        },
      };
    });
  }

  private applyExpiryEdits(base: ArtifactRecord[]): void {
    if (this.expiryEdits.size === 0) return;
    const byId = new Map(base.map((r) => [`${r.version}\u0000${r.name}`, r]));
    for (const [rec, seconds] of this.expiryEdits) {
      const target = byId.get(`${rec.version}\u0000${rec.name}`);
      if (!target) {
        throw new SaveError(`cannot set the expiry of "${rec.name}" version ${rec.version}: another writer replaced the manifest and it no longer exists`);
      }
      target.expirySeconds = seconds;
    }
  }

  /** Base records plus pending ones, renumbered after the base's versions. */
  private mergePending(base: ArtifactRecord[]): ArtifactRecord[] {
    if (this.pending.length === 0) return base;
    const next = new Map<string, number>();
    for (const r of base) {
      const n = next.get(r.name);
      if (n === undefined || r.version >= n) next.set(r.name, r.version + 1);
    }
    for (const p of this.pending) {
      const v = next.get(p.record.name) ?? 0;
      p.record.version = v;
      next.set(p.record.name, v + 1);
    }
    return [...base, ...this.pending.map((p) => p.record)];
  }

  // ---------------------------------------------------------------- integrity

  /**
   * Check every saved file against its recorded size and sha256. Returns every
   * problem found (an empty array when all is well), never stopping early.
   */
  async verify(options: { concurrency?: number } = {}): Promise<VerifyProblem[]> {
    const problems: VerifyProblem[] = [];
    const queue = [...this.records];
    const worker = async () => {
      for (let r = queue.shift(); r; r = queue.shift()) {
        const key = this.artifactKey(r);
        const base = { name: r.name, version: r.version, fname: r.fname };
        try {
          const stream = verifyingStream(await this.storage.readStream(key), key, r, this.hash);
          for await (const _ of iterateStream(stream)) { /* drain */ }
        } catch (err) {
          if (isLazyscribeError(err, "STORAGE_NOT_FOUND")) problems.push({ ...base, problem: "missing", detail: `${key} does not exist` });
          else if (err instanceof IntegrityError || isLazyscribeError(err, "INTEGRITY")) {
            problems.push({ ...base, problem: /size|larger/.test((err as Error).message) ? "size" : "sha256", detail: (err as Error).message });
          } else throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
    return problems.sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
  }

  /**
   * Find files no entry references: unreferenced files in the folders of known
   * artifact names, and temp files (`*.lztmp`) left by crashed writers.
   * Files newer than `graceSeconds` (default 3600) are left alone, because a
   * writer may be between writing its file and committing the manifest.
   * Removes them unless `dryRun`.
   */
  async gc(options: { dryRun?: boolean; graceSeconds?: number; now?: () => Date } = {}): Promise<GcResult> {
    const dryRun = options.dryRun ?? false;
    const grace = options.graceSeconds ?? 3600;
    const wallNow = (options.now ?? (() => new Date()))().getTime();
    if (!dryRun) this.assertWritable("remove orphan files");
    const current = await this.readManifest();
    const referenced = new Set(current.records.map((r) => this.artifactKey(r)));
    const names = new Set([...current.records.map((r) => r.name), ...this.pending.map((p) => p.record.name)]);
    for (const p of this.pending) referenced.add(this.artifactKey(p.record));
    const prefix = this.folder ? `${this.folder}/` : "";
    const orphans: string[] = [];
    const skippedRecent: string[] = [];
    for (const key of await this.storage.list(prefix)) {
      const rel = key.slice(prefix.length);
      const isTemp = rel.endsWith(".lztmp");
      const inArtifactFolder = inFolderOf(rel, names);
      if (referenced.has(key) || !(isTemp || inArtifactFolder)) continue;
      const stat = await this.storage.stat(key);
      if (!stat) continue;
      if (wallNow - stat.mtime.getTime() < grace * 1000) skippedRecent.push(key);
      else orphans.push(key);
    }
    orphans.sort();
    if (!dryRun) for (const key of orphans) await this.storage.delete(key);
    const result: GcResult = { orphans, skippedRecent: skippedRecent.sort(), removed: !dryRun };
    if (this.storage.cleanupIncomplete) {
      result.incompleteUploads = await this.storage.cleanupIncomplete({ before: new Date(wallNow - grace * 1000), dryRun });
    }
    return result;
  }
}

/** Is `rel` a file below the folder of one of `names` (file names may have subfolders)? */
function inFolderOf(rel: string, names: ReadonlySet<string>): boolean {
  for (let i = rel.indexOf("/"); i > 0; i = rel.indexOf("/", i + 1)) if (names.has(rel.slice(0, i))) return true;
  return false;
}

/** Python lazyscribe's warning when an output-only artifact is logged or saved. */
export const outputOnlyAdded = (name: string): string => `Artifact '${name}' is added. It is not meant to be read back as Python Object`;
/** Python lazyscribe's warning when an output-only artifact is loaded. */
export const outputOnlyLoaded = (name: string): string => `Artifact '${name}' is not the original Python Object`;

/**
 * Refuse to load a value written in an incompatible environment: the
 * handler's own `checkEnvironment`, else equality of every key its
 * `environment()` reports that the entry also recorded.
 */
export function checkEnvironment(handler: ArtifactHandler, record: Pick<ArtifactMetadata, "name" | "extra"> & { version?: number }): void {
  if (handler.checkEnvironment) {
    handler.checkEnvironment(record.extra);
    return;
  }
  const env = handler.environment?.();
  if (!env) return;
  for (const [k, v] of Object.entries(env)) {
    if (k in record.extra && record.extra[k] !== v) {
      throw new ArtifactLoadError(
        `"${record.name}"${record.version === undefined ? "" : ` version ${record.version}`} was written with ${k}=${String(record.extra[k])}, this is ${v}; pass { validate: false } to load it anyway`,
      );
    }
  }
}

function wrapLoadError(err: unknown, what: string): unknown {
  if (isLazyscribeError(err, "STORAGE_NOT_FOUND")) {
    return new ArtifactLoadError(`cannot load ${what}: its file is missing (${(err as Error).message})`, { cause: err });
  }
  if (isLazyscribeError(err)) return err;
  return new ArtifactLoadError(`cannot load ${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

