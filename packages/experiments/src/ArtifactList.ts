import {
  ArtifactLoadError,
  ArtifactLogError,
  ArtifactRecord,
  assertValidFname,
  checkEnvironment,
  assertValidName,
  compactStamp,
  handlerOutput,
  preparedValue,
  isLazyscribeError,
  isOneShot,
  preparedOutput,
  outputOnlyAdded,
  outputOnlyLoaded,
  joinKey,
  slugifyOrFallback,
  verifiedSource,
  writeArtifactFile,
  type ArtifactHandler,
  type HandlerRegistry,
  type HashFactory,
  type StorageBackend,
  type WarningCode,
  type WritableData,
} from "@lazyscribe/core/internal";
import { ArtifactLoadOptionsSchema, ArtifactLogOptionsSchema, type ArtifactLoadOptions, type DynamicArtifactLogOptions } from "./options.js";

/** Where an artifact list keeps its files, and how it reads and writes them. */
export interface ArtifactContext {
  readonly storage: StorageBackend;
  readonly handlers: HandlerRegistry;
  readonly hash: () => HashFactory;
  /** Storage key of the folder holding the files (`<project dir>/<slug>[/<test slug>]`). */
  readonly folder: string;
  /** For messages: `experiment "baseline-model-20250302100000"`. */
  readonly owner: string;
  /** Deliver a warning Python gives (output-only artifacts). */
  readonly warn?: (code: WarningCode, message: string) => void;
}

/** The state of one logged artifact, as promotion needs it. */
export interface ArtifactState {
  readonly record: ArtifactRecord;
  /** Logged in this session and not committed to project.json yet. */
  readonly unsaved: boolean;
  /** The value to write (unsaved artifacts only). */
  readonly value: unknown;
  readonly writerOptions: Readonly<Record<string, unknown>>;
  /** The file name was generated, not given by the user. */
  readonly autoFname: boolean;
  /** Storage key of the file. */
  readonly key: string;
}

interface Entry {
  record: ArtifactRecord;
  handler?: ArtifactHandler;
  value?: unknown;
  writerOptions: Record<string, unknown>;
  autoFname: boolean;
  /** `new`: only in memory; `written`: file created, project.json not committed; `saved`: committed. */
  state: "new" | "written" | "saved";
  /** The handler's output, made by {@link ArtifactList.prepare} before any file of the save is written. */
  content?: () => Promise<WritableData>;
}

const NOT_WRITER_OPTIONS = new Set(["handler", "fname", "overwrite"]);

/**
 * The artifacts of one experiment or test: not versioned (one per name), kept
 * in memory until the project is saved, then written into the owner's folder
 * — created exclusively, never overwriting a file.
 */
export class ArtifactList {
  private entries: Entry[];

  constructor(
    private readonly ctx: ArtifactContext,
    records: ArtifactRecord[] = [],
  ) {
    this.entries = records.map((record) => ({ record, writerOptions: {}, autoFname: false, state: "saved" }));
  }

  /** Detached copies of the records, in logging order. */
  get records(): ArtifactRecord[] {
    return this.entries.map((e) => e.record.clone());
  }

  get names(): string[] {
    return this.entries.map((e) => e.record.name);
  }

  has(name: string): boolean {
    return this.entries.some((e) => e.record.name === name);
  }

  /** True when some artifact is not committed yet. */
  get dirty(): boolean {
    return this.entries.some((e) => e.state !== "saved");
  }

  /** Storage key of a file in this list's folder. */
  keyOf(fname: string): string {
    return joinKey(this.ctx.folder, fname);
  }

  /** The state of an artifact, or `undefined`. */
  state(name: string): ArtifactState | undefined {
    const e = this.entries.find((x) => x.record.name === name);
    if (!e) return undefined;
    return {
      record: e.record,
      unsaved: e.state !== "saved",
      value: e.value,
      writerOptions: { ...e.writerOptions },
      autoFname: e.autoFname,
      key: this.keyOf(e.record.fname),
    };
  }

  /**
   * Add (or with `overwrite`, replace) an artifact. Nothing is written until
   * the project is saved.
   */
  log(name: string, value: unknown, options: DynamicArtifactLogOptions, createdSeconds: number): ArtifactRecord {
    assertValidName(name);
    const parsed = ArtifactLogOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ArtifactLogError(`invalid logArtifact options for "${name}"${issue.path.length ? ` (${issue.path.join(".")})` : ""}: ${issue.message}`);
    }
    const opts = parsed.data;
    const handler = opts.handler !== undefined
      ? this.ctx.handlers.get(opts.handler, ` (logging "${name}" to ${this.ctx.owner})`)
      : this.ctx.handlers.chooseFor(value);
    const index = this.entries.findIndex((e) => e.record.name === name);
    const replaced = index >= 0 ? this.entries[index]! : undefined;
    if (replaced && !opts.overwrite) {
      throw new ArtifactLogError(
        `${this.ctx.owner} already has an artifact named "${name}"; use another name or pass { overwrite: true } to replace it`,
      );
    }
    const others = this.entries.filter((e) => e !== replaced);
    let fname: string;
    if (opts.fname !== undefined) {
      assertValidFname(opts.fname);
      if (others.some((e) => e.record.fname === opts.fname)) {
        throw new ArtifactLogError(`${this.ctx.owner} already stores another artifact as ${opts.fname}; choose another fname`);
      }
      if (replaced && replaced.state !== "new" && replaced.record.fname === opts.fname) {
        throw new ArtifactLogError(
          `"${name}" is already saved as ${opts.fname} and files are never overwritten; log the replacement with another fname (or none)`,
        );
      }
      fname = opts.fname;
    } else {
      fname = uniqueFname(new Set(others.map((e) => e.record.fname)), defaultStem(name, createdSeconds), handler.suffix);
    }
    const writerOptions: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(opts)) if (!NOT_WRITER_OPTIONS.has(k)) writerOptions[k] = v;
    const record = new ArtifactRecord(name, 0, handler.alias, fname, createdSeconds, null, { ...(handler.environment?.() ?? {}) });
    const prepared = preparedValue(handler, value, writerOptions, `"${name}" of ${this.ctx.owner}`);
    const entry: Entry = { record, handler, value: prepared, writerOptions, autoFname: opts.fname === undefined, state: "new" };
    if (replaced) this.entries[index] = entry;
    else this.entries.push(entry);
    if (handler.outputOnly) this.ctx.warn?.("OUTPUT_ONLY", outputOnlyAdded(name));
    return record.clone();
  }

  /** Load an artifact's value through its handler, verifying the recorded hash and size. */
  async load<T = unknown>(name: string, options: ArtifactLoadOptions = {}): Promise<T> {
    const parsed = ArtifactLoadOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) throw new ArtifactLoadError(`invalid loadArtifact options for "${name}": ${parsed.error.issues[0]!.message}`);
    const { verify = true, validate = true, ...readerOptions } = parsed.data;
    const e = this.entries.find((x) => x.record.name === name);
    if (!e) {
      const names = this.names;
      throw new ArtifactLoadError(
        `no artifact named "${name}" in ${this.ctx.owner}` + (names.length ? ` (artifacts: ${names.slice(0, 10).join(", ")})` : " (it has no artifacts)"),
      );
    }
    if (e.state !== "saved") {
      throw new ArtifactLoadError(`cannot load "${name}" of ${this.ctx.owner}: it is not saved yet; call project.save() first`);
    }
    const r = e.record;
    const handler = this.ctx.handlers.get(r.handler, ` (artifact "${name}" of ${this.ctx.owner}, file ${r.fname})`);
    if (validate) checkEnvironment(handler, r);
    const source = verifiedSource(this.ctx.storage, this.keyOf(r.fname), r.fname, verify ? r : null, this.ctx.hash());
    let value: T;
    try {
      value = (await handler.read(source, { ...readerOptions, environment: { ...r.extra }, validate })) as T;
    } catch (err) {
      const what = `"${name}" of ${this.ctx.owner} (${this.keyOf(r.fname)})`;
      if (isLazyscribeError(err, "STORAGE_NOT_FOUND")) {
        throw new ArtifactLoadError(`cannot load ${what}: its file is missing`, { cause: err });
      }
      if (isLazyscribeError(err)) throw err;
      throw new ArtifactLoadError(`cannot load ${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
    if (handler.outputOnly) this.ctx.warn?.("OUTPUT_ONLY", outputOnlyLoaded(name));
    return value;
  }

  /**
   * Run the handler of every artifact not written yet, before any file of
   * the save is written: a value its handler refuses fails the save
   * (`SaveError`) with nothing written.
   */
  async prepare(): Promise<void> {
    for (const e of this.entries) {
      if (e.state !== "new") continue;
      e.content = await preparedOutput(e.handler!, e.value, e.writerOptions, `"${e.record.name}" of ${this.ctx.owner} (handler "${e.handler!.alias}")`);
    }
  }

  /**
   * Write the files of artifacts not written yet, each created exclusively.
   * Until {@link commit} or {@link rollback}, they are "written".
   */
  async writePending(): Promise<void> {
    for (const e of this.entries) {
      if (e.state === "new") await this.writeFile(e);
    }
  }

  /** The commit failed: remove the files written since the last commit. */
  async rollback(): Promise<void> {
    for (const e of this.entries) {
      if (e.state !== "written") continue;
      await this.ctx.storage.delete(this.keyOf(e.record.fname)).catch(() => undefined);
      e.state = "new";
    }
  }

  /** project.json was committed: written files are now saved (their values are released). */
  commit(): void {
    for (const e of this.entries) {
      if (e.state !== "written") continue;
      // As Python warns for each output-only file a save wrote.
      if (e.handler?.outputOnly) this.ctx.warn?.("OUTPUT_ONLY", outputOnlyAdded(e.record.name));
      e.state = "saved";
      delete e.value;
      delete e.handler;
      delete e.content;
    }
  }

  /** The entries as stored in project.json. */
  toJSON(): Array<Record<string, unknown>> {
    return this.entries.map((e) => e.record.toJSON());
  }

  private async writeFile(e: Entry): Promise<void> {
    const r = e.record;
    const handler = e.handler!;
    await writeArtifactFile({
      storage: this.ctx.storage,
      record: r,
      keyFor: (fname) => this.keyOf(fname),
      content: e.content ?? (() => handlerOutput(handler, e.value, e.writerOptions, `"${r.name}" of ${this.ctx.owner}`)),
      replayable: !isOneShot(e.value),
      // Another writer (or a same-named experiment) may take a generated name in the same second.
      ...(e.autoFname
        ? {
            rename: (attempt: number) =>
              uniqueFname(new Set(this.entries.filter((x) => x !== e).map((x) => x.record.fname)), defaultStem(r.name, r.createdSeconds), handler.suffix, attempt),
          }
        : {}),
      hash: this.ctx.hash(),
    });
    e.state = "written";
  }
}

/** `<slug(name)>-<YYYYMMDDHHMMSS>` of the artifact's creation time (Python's default file name). */
function defaultStem(name: string, createdSeconds: number): string {
  return `${slugifyOrFallback(name)}-${compactStamp(createdSeconds)}`;
}

function uniqueFname(taken: Set<string>, stem: string, suffix: string, from = 0): string {
  for (let n = from; ; n++) {
    const fname = `${stem}${n === 0 ? "" : `-${n}`}.${suffix}`;
    if (!taken.has(fname)) return fname;
  }
}

