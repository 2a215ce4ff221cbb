import { deserialize, serialize } from "node:v8";
import { ArtifactLoadError, ArtifactLogError, type ArtifactHandler, type ArtifactSource, type HandlerReadOptions } from "@lazyscribe/core/internal";

/**
 * Node's structured-clone serializer (`node:v8`), file suffix `v8`: keeps
 * `Map`, `Set`, `Date`, `BigInt`, `RegExp`, typed arrays, `undefined`,
 * circular references and `NaN` exactly (class instances come back as plain
 * objects; functions and symbols are refused). The analogue of Python
 * lazyscribe's `pickle` handler: each entry records `node_version`, and a value
 * written by another Node major version is refused on load unless
 * `{ validate: false }` is passed, as the format is not promised to be stable
 * across majors.
 *
 * @example
 * await repo.logArtifact("lookup", new Map([["a", 1n]]), { handler: "v8" });
 * await repo.save();                        // entry gets { "node_version": "20.19.0" }
 * const lookup = await repo.loadArtifact("lookup");                 // Map { "a" => 1n }
 * await repo.loadArtifact("lookup", { validate: false });           // skip the Node version check
 */
export const v8Handler: ArtifactHandler<unknown> = Object.freeze({
  alias: "v8",
  writeOptions: [],
  readOptions: [],
  suffix: "v8",
  binary: true,
  environment(): Record<string, string> {
    return { node_version: process.versions.node };
  },
  checkEnvironment(stored: Record<string, unknown>): void {
    checkNodeVersion(stored);
  },
  accepts(value: unknown): boolean {
    try {
      serialize(value);
      return true;
    } catch {
      return false;
    }
  },
  write(value: unknown): Uint8Array {
    try {
      return serialize(value);
    } catch (err) {
      throw new ArtifactLogError(`the v8 handler cannot serialize this value: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
  },
  async read(source: ArtifactSource, options: HandlerReadOptions): Promise<unknown> {
    if (options?.validate !== false) checkNodeVersion(options?.environment ?? {}, source.fname);
    const bytes = await source.bytes();
    try {
      return deserialize(bytes);
    } catch (err) {
      throw new ArtifactLoadError(
        `${source.fname} could not be deserialized by the v8 handler (Node ${process.versions.node}): ${(err as Error)?.message ?? String(err)}`,
        { cause: err },
      );
    }
  },
});

/** Major version of a Node version string (`"20.19.0"`, `"v22.1.0"`), or `null`. */
export function nodeMajor(version: string): number | null {
  const m = /^v?(\d+)(?:\.|$)/.exec(version.trim());
  return m ? Number(m[1]) : null;
}

/**
 * Refuse a stored `node_version` whose major differs from the running Node's.
 * A missing `node_version` (an entry written by something else) is allowed.
 */
function checkNodeVersion(stored: Record<string, unknown>, fname?: string): void {
  const written = stored.node_version;
  if (written === undefined || written === null) return;
  const what = fname ? `${fname} was` : "this artifact was";
  const current = process.versions.node;
  const writtenMajor = typeof written === "string" ? nodeMajor(written) : null;
  if (writtenMajor === null) {
    throw new ArtifactLoadError(
      `${what} stored with an unreadable node_version ${JSON.stringify(written)}; pass { validate: false } to load it anyway`,
    );
  }
  if (writtenMajor !== nodeMajor(current)) {
    throw new ArtifactLoadError(
      `${what} written by the v8 handler on Node ${String(written)} (major ${writtenMajor}), but this is Node ${current}: ` +
        `the v8 serialization format may differ between major versions. Pass { validate: false } to load it anyway.`,
    );
  }
}
