/**
 * Shared plumbing of the commands: the lazily loaded library, global
 * options, and opening repositories with clear errors.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import type { Mode, Repository, StorageBackend } from "lazyscribe";
import { CliError } from "./errors.js";
import { assertKind, headOfStream, kindOfBytes, wrongKind, type ManifestKind } from "./manifestKind.js";
import { countBytes, type ProgressBar } from "./progress.js";

export type Lib = typeof import("./lib.js");

let loading: Promise<Lib> | undefined;

/**
 * The lazyscribe library, imported on first use so `--help` and `--version`
 * do not pay for it. The bundler inlines it into the one output file.
 */
export function lib(): Promise<Lib> {
  return (loading ??= import("./lib.js"));
}

export const DEFAULT_REPO = "./repository.json";
export const DEFAULT_PROJECT = "./project.json";

/** Options every command accepts (before or after the command name). */
export interface GlobalOptions {
  repo: string;
  json: boolean;
  debug: boolean;
}

/** Add the global options to a command. */
export function withGlobals(cmd: Command): Command {
  return cmd
    .option("--repo <path>", `repository manifest (default: ${DEFAULT_REPO})`)
    .option("--json", "print one JSON document (machine output)")
    .option("--debug", "show stack traces on errors");
}

/** Option values of a command and all its parents; the innermost value set wins. */
export function allOptions(cmd: Command): Record<string, unknown> {
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.unshift(c);
  const merged: Record<string, unknown> = {};
  for (const c of chain) {
    for (const [k, v] of Object.entries(c.opts())) if (v !== undefined) merged[k] = v;
  }
  return merged;
}

export function globals(cmd: Command): GlobalOptions {
  const o = allOptions(cmd);
  return {
    repo: typeof o.repo === "string" ? o.repo : DEFAULT_REPO,
    json: o.json === true,
    debug: o.debug === true,
  };
}

/** A local path for a location (`file://` URLs included), or null for other schemes. */
export function localPath(location: string): string | null {
  if (/^file:\/\//i.test(location)) {
    try {
      return /^file:\/\/\//i.test(location) ? fileURLToPath(location) : path.resolve(decodeURIComponent(location.slice(7)));
    } catch {
      return null;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return null;
  return path.resolve(location);
}

/** Fail with a clear message unless `location` is an existing file of that kind (a folder or another kind of lazyscribe file is refused). */
export async function requireFile(location: string, what: ManifestKind, hint: string): Promise<void> {
  const p = localPath(location);
  if (p === null) {
    // s3:// and other schemes: one GET of the first bytes (cancelled after them) says both.
    const got = await kindAt(location);
    if (got === undefined) throw new CliError(`no ${what} at ${location}${hint}`);
    if (got !== null && got !== what) throw wrongKind(location, got, what);
    return;
  }
  try {
    await stat(p);
  } catch {
    throw new CliError(`no ${what} at ${location}${hint}`);
  }
  await assertKind(p, location, what);
}

/** Fail at once when an existing `location` is a folder or another kind of file; a missing one passes (it will be created). */
export async function checkKindIfExists(location: string, what: ManifestKind): Promise<void> {
  const p = localPath(location);
  if (p !== null) await assertKind(p, location, what);
}

/** The kind of file at a non-local location: undefined when it does not exist, null when its bytes cannot tell. */
async function kindAt(location: string): Promise<ManifestKind | null | undefined> {
  const { resolveLocation } = await lib();
  const { storage, key } = resolveLocation(location);
  let stream: ReadableStream<Uint8Array>;
  try {
    stream = await storage.readStream(key);
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code === "STORAGE_NOT_FOUND") return undefined;
    throw err;
  }
  return kindOfBytes(await headOfStream(stream));
}

/**
 * Opening a non-local location failed: when the file is another kind of
 * lazyscribe file (its schema then fails), the error to show says so. Only
 * this failure path reads the file's first bytes again, so a good open still
 * costs one request.
 */
export async function explainOpenError(err: unknown, location: string, what: ManifestKind): Promise<unknown> {
  if (localPath(location) !== null || (err as { code?: unknown } | null)?.code !== "MANIFEST_INVALID") return err;
  const got = await kindAt(location).catch(() => null);
  return got !== null && got !== undefined && got !== what ? wrongKind(location, got, what) : err;
}

export interface OpenOptions {
  /** Fail when the manifest does not exist (default true; `log` creates one). */
  mustExist?: boolean;
  /** Count bytes read from artifact files into this bar. */
  readProgress?: ProgressBar;
  /** Count bytes of streams written into this bar. */
  writeProgress?: ProgressBar;
}

const REPO_HINT = " (use --repo <path> to point at a repository.json)";

/** Open the repository named by `--repo` (or `location`). */
export async function openRepository(location: string, mode: Mode, options: OpenOptions = {}): Promise<Repository> {
  const local = localPath(location) !== null;
  // Local files are checked first (a stat and their first bytes); other
  // locations by the open itself, which reads the manifest in one GET.
  if (local && options.mustExist !== false) await requireFile(location, "repository", REPO_HINT);
  else if (local) await checkKindIfExists(location, "repository");
  const { Repository, resolveLocation } = await lib();
  // `ls --at` leaves out names created later by design: no process warning for them.
  const onWarning = () => undefined;
  const open = (): Promise<Repository> => {
    if (!options.readProgress && !options.writeProgress) return Repository.open(location, { mode, onWarning });
    const { storage, key } = resolveLocation(location);
    const wrapped = withProgress(storage, options.readProgress, options.writeProgress);
    return Repository.open(key, { mode, storage: wrapped, onWarning });
  };
  if (local) return open();
  let repo: Repository;
  try {
    repo = await open();
  } catch (err) {
    throw await explainOpenError(err, location, "repository");
  }
  // Nothing listed: only now ask whether the manifest exists at all.
  if (options.mustExist !== false && repo.names().length === 0 && (await repo.storage.stat(repo.manifestKey)) === null) {
    throw new CliError(`no repository at ${location}${REPO_HINT}`);
  }
  return repo;
}

/** A storage backend that reports streamed bytes to progress bars. */
export function withProgress(storage: StorageBackend, read?: ProgressBar, write?: ProgressBar): StorageBackend {
  return {
    // An object store's one-request read (and its upload cleanup) stay available through the wrapper.
    ...(storage.readWithEtag ? { readWithEtag: (key: string) => storage.readWithEtag!(key) } : {}),
    ...(storage.cleanupIncomplete ? { cleanupIncomplete: (o: { before: Date; dryRun: boolean }) => storage.cleanupIncomplete!(o) } : {}),
    get description() {
      return storage.description;
    },
    read: (key) => storage.read(key),
    readStream: async (key) => {
      const s = await storage.readStream(key);
      return read ? countBytes(s, read) : s;
    },
    write: (key, data, options) => {
      if (write && data instanceof ReadableStream) return storage.write(key, countBytes(data, write), options);
      return storage.write(key, data, options);
    },
    stat: (key) => storage.stat(key),
    list: (prefix) => storage.list(prefix),
    delete: (key) => storage.delete(key),
    copy: (from, to, options) => storage.copy(from, to, options),
  };
}

/** Absolute path of an artifact file of a local repository (for display). */
export function artifactPath(repoLocation: string, name: string, fname: string): string | null {
  const p = localPath(repoLocation);
  return p === null ? null : path.join(path.dirname(p), name, fname);
}

/** The `releases.json` beside a repository manifest. */
export function releasesLocation(repoLocation: string): string {
  const p = localPath(repoLocation);
  if (p !== null) return path.join(path.dirname(p), "releases.json");
  const slash = repoLocation.lastIndexOf("/");
  return `${repoLocation.slice(0, slash + 1)}releases.json`;
}

/** A validated time argument as a Date (the library's parser: naive times are UTC). */
export async function toDate(time: string): Promise<Date> {
  return (await lib()).parseTime(time);
}
