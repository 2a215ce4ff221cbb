import type { ByteStream, WritableData } from "../storage/StorageBackend.js";

/**
 * The saved bytes of an artifact, handed to {@link ArtifactHandler.read}.
 * Take it whole (`bytes()` / `text()`) or streamed (`stream()`); integrity is
 * verified either way.
 */
export interface ArtifactSource {
  /** Name of the file (for messages). */
  readonly fname: string;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
  stream(): Promise<ByteStream>;
}

/** Options given to {@link ArtifactHandler.read}: the caller's options plus the stored entry. */
export interface HandlerReadOptions extends Record<string, unknown> {
  /** Environment fields stored on the entry (`node_version`, `python_version`, ...). */
  environment: Record<string, unknown>;
  /** `false` skips environment checks. */
  validate: boolean;
}

/**
 * Turns values into files and back. Register one with `registerHandler` or a
 * `HandlerRegistry` passed to `open()`.
 *
 * @example
 * const csv: ArtifactHandler<string[][]> = {
 *   alias: "csv", suffix: "csv", binary: false,
 *   write: (rows) => rows.map((r) => r.join(",")).join("\n"),
 *   read: async (src) => (await src.text()).split("\n").map((l) => l.split(",")),
 * };
 */
export interface ArtifactHandler<T = unknown> {
  /** Stored in the manifest's `handler` field (`"json"`). */
  readonly alias: string;
  /** File extension without the dot (`"json"`). */
  readonly suffix: string;
  /** Binary files cannot be diffed. */
  readonly binary: boolean;
  /** Written for people (e.g. a report), not meant to be read back as the value. */
  readonly outputOnly?: boolean;
  /**
   * Names of the writer options `write()` understands (`logArtifact(name, value, { handler, ...these })`).
   * When given, any other key is refused with `InvalidOptionError`; leave it out to accept any.
   */
  readonly writeOptions?: readonly string[];
  /** Names of the reader options `read()` understands (`loadArtifact(name, { ...these })`); as {@link writeOptions}. */
  readonly readOptions?: readonly string[];
  /** Fields stored on the entry at save time (e.g. `{ node_version }`). */
  environment?(): Record<string, string>;
  /**
   * Check the stored environment against the current one; throw to refuse.
   * Without it, every key of `environment()` must be equal.
   */
  checkEnvironment?(stored: Record<string, unknown>): void;
  /** Can this handler write `value`? Used to pick a default handler. */
  accepts?(value: unknown): boolean;
  /**
   * Called by `logArtifact` (optional): refuse a value that cannot be written
   * by throwing, so nothing is logged, or convert it; what it returns is what
   * `write` gets at save time.
   */
  prepare?(value: unknown, options: Record<string, unknown>): T;
  /** Serialize a value: bytes, a string (UTF-8), or a stream of bytes. */
  write(value: T, options: Record<string, unknown>): WritableData | Promise<WritableData>;
  /** Read a value back. */
  read(source: ArtifactSource, options: HandlerReadOptions): T | Promise<T>;
  /**
   * A short summary of a stored file for people (optional; `lazyscribe show`
   * prints it): e.g. a table's rows, columns and schema, or a model's inputs.
   */
  describe?(source: ArtifactSource): Promise<Record<string, unknown>>;
}
