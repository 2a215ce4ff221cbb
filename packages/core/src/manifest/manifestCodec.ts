import { ManifestError } from "../errors.js";
import { JsonSyntaxError, jsonDepthExceeds, MAX_JSON_DEPTH, parsePythonJson, stringifyPythonJson } from "../json/pythonJson.js";
import { ArtifactRecord } from "../repository/ArtifactRecord.js";
import { parseEpochSeconds } from "../time.js";
import { copyOwn } from "../json/ownProperty.js";
import { FastEntryReader } from "./fastEntry.js";
import { KNOWN_ENTRY_KEYS, ManifestEntrySchema, ManifestSchema } from "./ManifestEntry.js";

const decoder = new TextDecoder();

/**
 * Parse JSON text of a manifest file, or throw {@link ManifestError} with line
 * and column. With `checkDepth`, a value nested deeper than Python can read
 * ({@link MAX_JSON_DEPTH}) is a `ManifestError` too (repository.json checks
 * only the keys it keeps, in {@link recordsFromJson}, to open fast).
 */
export function parseJsonFile(file: string, data: Uint8Array | string, options: { checkDepth?: boolean } = {}): unknown {
  const text = typeof data === "string" ? data : decoder.decode(data);
  let json: unknown;
  try {
    json = parsePythonJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) {
      throw new ManifestError(file, [], `not valid JSON (${err.message})`, { cause: err });
    }
    if (err instanceof RangeError) throw tooDeep(file, []);
    throw err;
  }
  if (options.checkDepth && jsonDepthExceeds(json)) throw tooDeep(file, []);
  return json;
}

function tooDeep(file: string, path: ReadonlyArray<string | number>): ManifestError {
  return new ManifestError(file, path, `values are nested deeper than ${MAX_JSON_DEPTH} levels, more than Python's json module can read`);
}

/** Turn the first zod issue into a {@link ManifestError} naming file and path. */
export function manifestErrorFromZod(
  file: string,
  error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> },
  prefix: ReadonlyArray<string | number> = [],
): ManifestError {
  const issue = error.issues[0]!;
  const path = [...prefix, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : "";
  return new ManifestError(file, path, `${issue.message}${more}`);
}

/** Records from one parsed entry object that has already passed the schema. */
export function recordFromEntry(entry: Record<string, unknown>, raw: object = entry): ArtifactRecord {
  // Extra keys from the raw object: zod's output drops a key named `__proto__`.
  const extra = copyOwn(raw, KNOWN_ENTRY_KEYS);
  const rec = new ArtifactRecord(
    entry.name as string,
    entry.version as number,
    entry.handler as string,
    entry.fname as string,
    parseEpochSeconds(entry.created_at as string)!,
    entry.expiry === null || entry.expiry === undefined ? null : parseEpochSeconds(entry.expiry as string)!,
    extra,
    entry.sha256 as string | undefined,
    entry.size as number | undefined,
  );
  if (entry.expiry === undefined) rec.expiryMissing = true;
  return rec;
}

/**
 * Parse a `repository.json` (or an experiment's artifact list) into records.
 * Each entry is checked by {@link ManifestEntrySchema}; duplicate
 * `(name, version)` pairs are rejected.
 */
export function parseManifest(file: string, data: Uint8Array | string): ArtifactRecord[] {
  return recordsFromJson(file, parseJsonFile(file, data));
}

/** Records from already-parsed JSON (see {@link parseManifest}). */
export function recordsFromJson(file: string, json: unknown, prefix: ReadonlyArray<string | number> = []): ArtifactRecord[] {
  if (!Array.isArray(json)) {
    const r = ManifestSchema.safeParse(json);
    throw manifestErrorFromZod(file, r.error!, prefix);
  }
  const records = new Array<ArtifactRecord>(json.length);
  const fast = new FastEntryReader();
  const versionsByName = new Map<string, Set<number>>();
  for (let i = 0; i < json.length; i++) {
    let rec = fast.read(json[i]);
    if (rec === null) {
      const r = ManifestEntrySchema.safeParse(json[i]);
      if (!r.success) throw manifestErrorFromZod(file, r.error, [...prefix, i]);
      rec = recordFromEntry(r.data, json[i] as object);
    }
    let seen = versionsByName.get(rec.name);
    if (!seen) versionsByName.set(rec.name, (seen = new Set()));
    if (seen.has(rec.version)) {
      throw new ManifestError(file, [...prefix, i], `duplicate entry for "${rec.name}" version ${rec.version}`);
    }
    seen.add(rec.version);
    // Known keys are checked flat; only kept unknown keys can nest (the top level counts as one).
    for (const k in rec.extra) {
      if (jsonDepthExceeds(rec.extra[k], MAX_JSON_DEPTH - 2 - prefix.length)) throw tooDeep(file, [...prefix, i, k]);
    }
    records[i] = rec;
  }
  return records;
}

/** Serialize records as Python writes `repository.json`: sorted keys, 4-space indent, ASCII. */
export function serializeManifest(records: readonly ArtifactRecord[]): string {
  if (records.length === 0) return "[]";
  return `[\n${serializeEntries(records)}\n]`;
}

/** Entries at array depth 1, joined by ",\n", ASCII-escaped. */
function serializeEntries(records: readonly ArtifactRecord[]): string {
  const parts = new Array<string>(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    // Entries without extra keys (the vast majority) are written by a fixed
    // template in sorted key order; others take the generic path.
    parts[i] = hasKeys(r.extra)
      ? indentBlock(stringifyPythonJson(r.toJSON(), { indent: 4, sortKeys: true }))
      : entryTemplate(r);
  }
  const text = parts.join(",\n");
  return NON_ASCII.test(text) ? text.replace(NON_ASCII_G, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`) : text;
}

const encoder = new TextEncoder();

/**
 * Append entries to the bytes of a manifest that was read and parsed
 * unchanged: everything already there is kept byte for byte (including
 * another writer's layout), and only the new entries are formatted. Returns
 * null when the bytes do not end like a non-empty JSON array (`...}]`), so
 * the caller serializes the whole manifest instead.
 */
export function appendToManifest(current: Uint8Array, records: readonly ArtifactRecord[]): Uint8Array | null {
  let end = current.length - 1;
  while (end >= 0 && isSpace(current[end]!)) end--;
  if (end < 0 || current[end] !== 0x5d /* ] */) return null;
  let last = end - 1;
  while (last >= 0 && isSpace(current[last]!)) last--;
  if (last < 0 || current[last] !== 0x7d /* } */) return null;
  const tail = encoder.encode(`,\n${serializeEntries(records)}\n]`);
  const out = new Uint8Array(last + 1 + tail.length);
  out.set(current.subarray(0, last + 1), 0);
  out.set(tail, last + 1);
  return out;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7e]/;
// eslint-disable-next-line no-control-regex
const NON_ASCII_G = /[^\x00-\x7e]/g;

function hasKeys(o: Record<string, unknown>): boolean {
  for (const _ in o) return true;
  return false;
}

function indentBlock(text: string): string {
  return "    " + text.replace(/\n/g, "\n    ");
}

function entryTemplate(r: ArtifactRecord): string {
  const expiry = r.expirySeconds === null ? "null" : `"${r.expiryString()}"`;
  return (
    `    {\n        "created_at": "${r.createdString()}",\n        "expiry": ${expiry},\n` +
    `        "fname": ${JSON.stringify(r.fname)},\n        "handler": ${JSON.stringify(r.handler)},\n` +
    `        "name": ${JSON.stringify(r.name)},\n` +
    (r.sha256 !== undefined ? `        "sha256": "${r.sha256}",\n` : "") +
    (r.size !== undefined ? `        "size": ${r.size},\n` : "") +
    `        "version": ${r.version}\n    }`
  );
}
