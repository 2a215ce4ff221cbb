/**
 * Which kind of lazyscribe file a location holds (repository manifest,
 * project file, releases file), so each command can refuse the wrong kind
 * with a message that names both instead of misreading it: a project's
 * schema would otherwise happily list a repository's entries as
 * "experiments". Only the top-level keys of the first element are looked at,
 * from at most the first 256 KiB, so it costs nothing on big manifests.
 * Local files are checked before a command acts; other locations (s3://) on
 * what the open read, or when it failed (context.ts), so that opening still
 * costs one request.
 */
import { open, stat } from "node:fs/promises";
import path from "node:path";
import { CliError } from "./errors.js";

export type ManifestKind = "repository" | "project" | "releases";

const DESCRIPTION: Record<ManifestKind, string> = {
  repository: "a repository manifest (repository.json)",
  project: "a project file (project.json)",
  releases: "a releases file (releases.json)",
};

const OPTION: Record<ManifestKind, string> = {
  repository: "--repo <path> to point at a repository.json",
  project: "--project <path> to point at a project.json",
  releases: "--repo <path> to point at the repository whose releases.json you mean",
};

const HEAD_BYTES = 256 * 1024;

/** Top-level keys of the first object inside a top-level JSON array (as far as `text` goes). */
export function firstElementKeys(text: string): string[] | null {
  let i = 0;
  const skipWs = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  skipWs();
  if (text.charCodeAt(0) === 0xfeff) i++;
  skipWs();
  if (text[i] !== "[") return null;
  i++;
  skipWs();
  if (text[i] !== "{") return null;
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      let s = "";
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === "\\") j++;
        else s += text[j];
      }
      if (depth === 1 && expectKey) {
        keys.push(s);
        expectKey = false;
      }
      i = j;
    } else if (ch === "{" || ch === "[") {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (ch === "}" || ch === "]") {
      depth--;
      if (depth === 0) return keys;
    } else if (ch === "," && depth === 1) {
      expectKey = true;
    }
  }
  return keys;
}

/** The kind a file's first element says, or null when it cannot tell (empty, not JSON, unknown keys). */
export function kindOfKeys(keys: string[] | null): ManifestKind | null {
  if (!keys || keys.length === 0) return null;
  const has = (k: string) => keys.includes(k);
  if (has("tag")) return "releases";
  if (has("short_slug") || has("slug") || has("last_updated_by") || has("author") || has("metrics") || has("parameters")) return "project";
  if (has("fname") || has("handler")) return "repository";
  return null;
}

/** The kind the first bytes of a file say, or null when they cannot tell. */
export function kindOfBytes(head: Uint8Array): ManifestKind | null {
  return kindOfKeys(firstElementKeys(new TextDecoder().decode(head.subarray(0, HEAD_BYTES))));
}

/**
 * Up to the first 256 KiB of a stream (then it is cancelled, so an object
 * store stops sending the rest).
 */
export async function headOfStream(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < HEAD_BYTES) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks, size);
}

/** The error for a file of another kind than the command expects. */
export function wrongKind(shownAs: string, got: ManifestKind, expected: ManifestKind): CliError {
  return new CliError(`${shownAs} is ${DESCRIPTION[got]}, not ${DESCRIPTION[expected]}; use ${OPTION[expected]}`);
}

/**
 * True when an experiment read from a project file is really an entry of a
 * repository manifest: the project schema keeps unknown keys, so a
 * repository's entries load as "experiments" that carry `fname` / `handler`,
 * which no experiment has.
 */
export function isRepositoryEntry(entry: Record<string, unknown>): boolean {
  return Object.hasOwn(entry, "fname") || Object.hasOwn(entry, "handler");
}

/** The kind of a local file, or null when it cannot tell. */
export async function kindOfFile(file: string): Promise<ManifestKind | null> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return kindOfBytes(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * Fail unless the local path `file` (when it exists) is a file of the
 * `expected` kind: a folder, or another kind of lazyscribe file, is refused
 * at once, before anything is read or written. Missing files pass.
 */
export async function assertKind(file: string, shownAs: string, expected: ManifestKind): Promise<void> {
  let s;
  try {
    s = await stat(file);
  } catch {
    return;
  }
  if (s.isDirectory()) {
    const inside = expected === "project" ? "project.json" : expected === "releases" ? "releases.json" : "repository.json";
    throw new CliError(`${shownAs} is a folder; point at the ${expected === "releases" ? "releases" : expected} file inside it (e.g. ${path.join(shownAs, inside)})`);
  }
  if (!s.isFile()) throw new CliError(`${shownAs} is not a regular file; use ${OPTION[expected]}`);
  const got = await kindOfFile(file).catch(() => null);
  if (got !== null && got !== expected) throw wrongKind(shownAs, got, expected);
}
