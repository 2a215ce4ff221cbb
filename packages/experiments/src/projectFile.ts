import {
  copyOwn,
  ManifestError,
  keyProblem,
  manifestErrorFromZod,
  parseEpochSeconds,
  parseJsonFile,
  setOwn,
  recordsFromJson,
  stringifyPythonJson,
  type ArtifactRecord,
} from "@lazyscribe/core/internal";
import { z } from "zod";

const timeString = z
  .string()
  .refine((s) => parseEpochSeconds(s) !== null, { message: "expected a time like 2025-03-02T10:00:00 (ISO 8601)" })
  .transform((s) => parseEpochSeconds(s)!);

const dictionary = z.record(z.string(), z.unknown());

const folderSegment = (what: string) =>
  z.string().superRefine((s, ctx) => {
    const p = keyProblem(s);
    if (p || s.includes("/")) ctx.addIssue({ code: "custom", message: `invalid ${what} (it names a folder): ${p ?? "it contains '/'"}` });
  });

/**
 * One test of an experiment in `project.json` (Python: `artifacts, description, metrics, name, parameters`).
 *
 * @example
 * TestEntrySchema.parse({ name: "Young customers" }).description; // null
 */
export const TestEntrySchema = z.looseObject({
  name: z.string(),
  description: z.string().nullable().default(null),
  metrics: dictionary.default({}),
  parameters: dictionary.default({}),
  artifacts: z.array(z.unknown()).default([]),
});

/**
 * One experiment in `project.json`, as Python lazyscribe 2.x writes it. Keys
 * older Python versions did not write get defaults; keys this product does not
 * know are kept and written back.
 *
 * @example
 * ExperimentEntrySchema.parse({ name: "x", created_at: "2025-03-02T10:00:00" }).tags; // []
 */
export const ExperimentEntrySchema = z.looseObject({
  name: z.string(),
  author: z.string().default("unknown"),
  last_updated_by: z.string().optional(),
  created_at: timeString,
  last_updated: timeString.optional(),
  metrics: dictionary.default({}),
  parameters: dictionary.default({}),
  dependencies: z
    .array(z.string().refine((s) => s.indexOf("|") > 0 && s.indexOf("|") < s.length - 1, 'expected "<project>|<slug>"'))
    .default([]),
  short_slug: z.string().optional(),
  slug: folderSegment("slug").optional(),
  tags: z.array(z.string()).default([]),
  tests: z.array(TestEntrySchema).default([]),
  artifacts: z.array(z.unknown()).default([]),
});

/**
 * `project.json`: an array of experiments (each checked by {@link ExperimentEntrySchema}).
 *
 * @example
 * ProjectFileSchema.safeParse({}).success; // false
 */
export const ProjectFileSchema = z.array(z.unknown());

/** Keys of an experiment entry with a meaning of their own; others are kept as `extra`. */
export const EXPERIMENT_KEYS = new Set([
  "artifacts", "author", "created_at", "dependencies", "last_updated", "last_updated_by",
  "metrics", "name", "parameters", "short_slug", "slug", "tags", "tests",
]);
/** Keys of a test entry with a meaning of their own. */
export const TEST_KEYS = new Set(["artifacts", "description", "metrics", "name", "parameters"]);

/**
 * A test read from `project.json`.
 *
 * @example
 * const tests: TestEntry[] = parseProjectFile("project.json", text).entries[0]!.tests;
 */
export interface TestEntry {
  name: string;
  description: string | null;
  metrics: Record<string, unknown>;
  parameters: Record<string, unknown>;
  artifacts: ArtifactRecord[];
  extra: Record<string, unknown>;
}

/**
 * An experiment read from `project.json`; times in epoch seconds.
 *
 * @example
 * const [first]: ExperimentEntry[] = parseProjectFile("project.json", text).entries;
 */
export interface ExperimentEntry {
  name: string;
  author: string;
  lastUpdatedBy: string;
  createdSeconds: number;
  lastUpdatedSeconds: number;
  metrics: Record<string, unknown>;
  parameters: Record<string, unknown>;
  dependencies: string[];
  shortSlug?: string;
  slug?: string;
  tags: string[];
  tests: TestEntry[];
  artifacts: ArtifactRecord[];
  extra: Record<string, unknown>;
}

/**
 * A parsed `project.json`: the raw entries (written back untouched) and their typed view.
 *
 * @example
 * const { raw, entries }: ProjectFile = parseProjectFile("project.json", text);
 */
export interface ProjectFile {
  raw: unknown[];
  entries: ExperimentEntry[];
  /**
   * The exact text of each raw entry, when the file has the standard layout
   * (`[\n    {...},\n    {...}\n]`), so entries nobody changed are written
   * back byte for byte (Python's `1.0`, `1e-05` or integers beyond 2^53
   * survive a save by another writer).
   */
  texts?: string[];
}

// zod's output drops keys named `__proto__`: unknown keys, metrics and
// parameters are taken from the raw (validated) objects instead.
function extras(raw: unknown, known: Set<string>): Record<string, unknown> {
  return copyOwn(raw as object, known);
}

function rawDict(raw: unknown, key: string, parsed: Record<string, unknown>): Record<string, unknown> {
  const v = (raw as Record<string, unknown>)[key];
  return typeof v === "object" && v !== null && !Array.isArray(v) ? copyOwn(v) : parsed;
}

/**
 * Parse `project.json` text or bytes. Malformed JSON or a wrong shape →
 * `ManifestError` naming the file and the zod path (e.g. `[1].tests[0].name`).
 * Python's `NaN` / `Infinity` tokens are read as numbers.
 *
 * @example
 * const { entries } = parseProjectFile("project.json", await storage.read("project.json"));
 */
export function parseProjectFile(file: string, data: Uint8Array | string): ProjectFile {
  const json = parseJsonFile(file, data, { checkDepth: true });
  const top = ProjectFileSchema.safeParse(json);
  if (!top.success) throw manifestErrorFromZod(file, top.error);
  const raw = top.data;
  const entries = raw.map((item, i) => parseExperimentEntry(file, item, i));
  const text = typeof data === "string" ? data : new TextDecoder().decode(data);
  const texts = entryTexts(text);
  return texts && texts.length === raw.length && frame(texts) === text ? { raw, entries, texts } : { raw, entries };
}

/** The text of each element of a top-level JSON array (the text is valid JSON), or null. */
function entryTexts(text: string): string[] | null {
  let i = 0;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  if (text[i] !== "[") return null;
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (i++; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      if (depth === 0 && start < 0) start = i;
    } else if (c === "{" || c === "[") {
      if (depth === 0 && start < 0) start = i;
      depth++;
    } else if (c === "}" || c === "]") {
      if (depth === 0) {
        if (start >= 0) out.push(text.slice(start, i).trimEnd());
        return out;
      }
      depth--;
    } else if (depth === 0) {
      if (c === ",") {
        out.push(text.slice(start, i).trimEnd());
        start = -1;
      } else if (start < 0 && !/\s/.test(c)) start = i;
    }
  }
  return null;
}

/** The top-level array around entry texts, as Python's `json.dump(indent=4)` writes it. */
function frame(texts: readonly string[]): string {
  return texts.length === 0 ? "[]" : `[\n    ${texts.join(",\n    ")}\n]`;
}

/** Parse one raw experiment entry (index `i` is used in error paths). */
export function parseExperimentEntry(file: string, item: unknown, i: number): ExperimentEntry {
  const r = ExperimentEntrySchema.safeParse(item);
  if (!r.success) throw manifestErrorFromZod(file, r.error, [i]);
  const e = r.data;
  const rawTests = (item as { tests?: unknown[] }).tests ?? [];
  const tests = e.tests.map((t, j): TestEntry => ({
    name: t.name,
    description: t.description,
    metrics: rawDict(rawTests[j], "metrics", t.metrics),
    parameters: rawDict(rawTests[j], "parameters", t.parameters),
    artifacts: artifactRecords(file, t.artifacts, [i, "tests", j, "artifacts"]),
    extra: extras(rawTests[j], TEST_KEYS),
  }));
  return {
    name: e.name,
    author: e.author,
    lastUpdatedBy: e.last_updated_by ?? e.author,
    createdSeconds: e.created_at,
    lastUpdatedSeconds: e.last_updated ?? e.created_at,
    metrics: rawDict(item, "metrics", e.metrics),
    parameters: rawDict(item, "parameters", e.parameters),
    dependencies: e.dependencies,
    ...(e.short_slug !== undefined ? { shortSlug: e.short_slug } : {}),
    ...(e.slug !== undefined ? { slug: e.slug } : {}),
    tags: e.tags,
    tests,
    artifacts: artifactRecords(file, e.artifacts, [i, "artifacts"]),
    extra: extras(item, EXPERIMENT_KEYS),
  };
}

function artifactRecords(file: string, list: unknown[], prefix: Array<string | number>): ArtifactRecord[] {
  const records = recordsFromJson(file, list, prefix);
  const seen = new Set<string>();
  records.forEach((r, k) => {
    if (seen.has(r.name)) throw new ManifestError(file, [...prefix, k], `duplicate artifact name "${r.name}"`);
    seen.add(r.name);
  });
  return records;
}

/**
 * Serialize experiments as Python writes `project.json`: keys sorted at every
 * level, 4-space indent, ASCII-only, `NaN` / `Infinity` as bare tokens, no
 * trailing newline. Entries found in `texts` (see {@link ProjectFile.texts})
 * are written as that exact text; the text of every other entry is added to it.
 *
 * @example
 * await storage.write("project.json", serializeProjectFile(project.toJSON()));
 */
export function serializeProjectFile(entries: readonly unknown[], texts?: WeakMap<object, string>): string {
  return frame(
    entries.map((e) => {
      const isObject = typeof e === "object" && e !== null;
      const kept = isObject ? texts?.get(e) : undefined;
      if (kept !== undefined) return kept;
      // Strings cannot hold raw newlines in JSON, so indenting every line is safe.
      const text = stringifyPythonJson(e, { indent: 4, sortKeys: true, ensureAscii: true }).split("\n").join("\n    ");
      if (isObject) texts?.set(e, text);
      return text;
    }),
  );
}

/** A compact, key-sorted rendering used to recognise an entry (not for writing). */
export function canonicalJson(value: unknown): string {
  return stringifyPythonJson(value, { sortKeys: true });
}

/**
 * A deep copy with object keys sorted at every level, as Python's
 * `sort_keys=True` writes them.
 *
 * @example
 * sortKeysDeep({ b: 1, a: { d: 2, c: 3 } }); // { a: { c: 3, d: 2 }, b: 1 }
 */
export function sortKeysDeep<T>(value: T, ancestors = new Set<object>()): T {
  if (typeof value !== "object" || value === null) return value;
  // A circular value is left as it is (the save refuses it with a clear message).
  if (ancestors.has(value)) return value;
  if (Array.isArray(value)) {
    ancestors.add(value);
    const out = value.map((v: unknown) => sortKeysDeep(v, ancestors)) as T;
    ancestors.delete(value);
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  ancestors.add(value);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) setOwn(out, k, sortKeysDeep((value as Record<string, unknown>)[k], ancestors));
  ancestors.delete(value);
  return out as T;
}
