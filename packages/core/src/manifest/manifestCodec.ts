import { ManifestError } from "../errors.js";
import { JsonSyntaxError, parsePythonJson, stringifyPythonJson } from "../json/pythonJson.js";
import { ArtifactRecord } from "../repository/ArtifactRecord.js";
import { parseEpochSeconds } from "../time.js";
import { KNOWN_ENTRY_KEYS, ManifestEntrySchema, ManifestSchema } from "./ManifestEntry.js";

const decoder = new TextDecoder();

/** Parse JSON text of a manifest file, or throw {@link ManifestError} with line and column. */
export function parseJsonFile(file: string, data: Uint8Array | string): unknown {
  const text = typeof data === "string" ? data : decoder.decode(data);
  try {
    return parsePythonJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) {
      throw new ManifestError(file, [], `not valid JSON (${err.message})`, { cause: err });
    }
    throw err;
  }
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
export function recordFromEntry(entry: Record<string, unknown>): ArtifactRecord {
  const extra: Record<string, unknown> = {};
  for (const k in entry) if (!KNOWN_ENTRY_KEYS.has(k)) extra[k] = entry[k];
  return new ArtifactRecord(
    entry.name as string,
    entry.version as number,
    entry.handler as string,
    entry.fname as string,
    parseEpochSeconds(entry.created_at as string)!,
    entry.expiry === null ? null : parseEpochSeconds(entry.expiry as string)!,
    extra,
    entry.sha256 as string | undefined,
    entry.size as number | undefined,
  );
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
  const seen = new Set<string>();
  for (let i = 0; i < json.length; i++) {
    const r = ManifestEntrySchema.safeParse(json[i]);
    if (!r.success) throw manifestErrorFromZod(file, r.error, [...prefix, i]);
    const rec = recordFromEntry(r.data);
    const id = `${rec.version}\u0000${rec.name}`;
    if (seen.has(id)) {
      throw new ManifestError(file, [...prefix, i], `duplicate entry for "${rec.name}" version ${rec.version}`);
    }
    seen.add(id);
    records[i] = rec;
  }
  return records;
}

/** Serialize records as Python writes `repository.json`: sorted keys, 4-space indent, ASCII. */
export function serializeManifest(records: readonly ArtifactRecord[]): string {
  return stringifyPythonJson(
    records.map((r) => r.toJSON()),
    { indent: 4, ensureAscii: true },
  );
}
