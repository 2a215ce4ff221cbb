import {
  ArtifactLoadError,
  ArtifactLogError,
  JsonSyntaxError,
  nonJsonObjectKind,
  parsePythonJson,
  stringifyPythonJson,
  type ArtifactHandler,
  type ArtifactSource,
} from "@lazyscribe/core/internal";

/** Writer options of the `json` handler (the keyword arguments of Python's `json.dump`). */
export interface JsonWriteOptions {
  /**
   * Spaces (or a string) per nesting level; omitted or `null` → one line.
   * `0` puts every item on its own line without indentation, as Python does.
   */
  indent?: number | string | null;
  /** Sort object keys at every level (`sort_keys=True`). Default `false`. */
  sortKeys?: boolean;
  /** Escape non-ASCII characters as `\uXXXX` (`ensure_ascii`). Default `true`, as in Python. */
  ensureAscii?: boolean;
  /**
   * `[itemSeparator, keySeparator]` (`separators`). Default as in Python:
   * `[", ", ": "]` on one line, `[",", ": "]` with `indent`. `[",", ":"]` is the most compact.
   */
  separators?: readonly [string, string];
}

/**
 * JSON, read and written as Python's `json` module does, so files are
 * interchangeable with Python lazyscribe's `json` handler: `NaN`, `Infinity`
 * and `-Infinity` are written as bare tokens and read back as numbers (never
 * `null`); output matches `json.dumps` byte for byte for the same options
 * (default separators `", "` / `": "`, non-ASCII escaped).
 *
 * Values that JSON cannot represent — functions, symbols, bigints, `undefined`
 * at the top level, `Map`, `Set`, typed arrays, circular references — are
 * refused with `ArtifactLogError` instead of being silently dropped.
 *
 * @example
 * await repo.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 });
 * // features/features-<stamp>.json: "[\n    0,\n    1,\n    2\n]"
 * const loss = await repo.loadArtifact("metrics"); // { loss: NaN } from Python's {"loss": NaN}
 */
export const jsonHandler: ArtifactHandler<unknown> = Object.freeze({
  alias: "json",
  writeOptions: ["indent", "sortKeys", "ensureAscii", "separators"],
  readOptions: [],
  suffix: "json",
  binary: false,
  accepts(value: unknown): boolean {
    return jsonProblem(value) === null;
  },
  write(value: unknown, options: Record<string, unknown>): string {
    return writeJson(value, parseWriteOptions(options));
  },
  async read(source: ArtifactSource): Promise<unknown> {
    const text = await source.text();
    try {
      return parsePythonJson(text);
    } catch (err) {
      if (err instanceof JsonSyntaxError) {
        throw new ArtifactLoadError(`${source.fname} is not valid JSON: ${err.message}`, { cause: err });
      }
      throw err;
    }
  },
});

/**
 * Serialize `value` as Python's `json.dumps(value, indent=..., sort_keys=...,
 * ensure_ascii=..., separators=...)` would. Throws `ArtifactLogError` for
 * values JSON cannot represent.
 *
 * @example
 * writeJson([0, 1, 2], { indent: 4 });          // "[\n    0,\n    1,\n    2\n]"
 * writeJson({ loss: NaN, b: [1, 2] });          // '{"loss": NaN, "b": [1, 2]}'
 * writeJson({ b: 1, a: "é" }, { sortKeys: true }); // '{"a": "\\u00e9", "b": 1}'
 */
export function writeJson(value: unknown, options: JsonWriteOptions = {}): string {
  const problem = jsonProblem(value);
  if (problem !== null) throw new ArtifactLogError(`the json handler cannot write this value: ${problem}`);
  const indent = options.indent ?? null;
  return stringifyPythonJson(value, {
    ...(indent === null ? {} : { indent }),
    sortKeys: options.sortKeys === true,
    ensureAscii: options.ensureAscii !== false,
    separators: options.separators ?? (indent === null ? [", ", ": "] : [",", ": "]),
  });
}

function parseWriteOptions(options: Record<string, unknown>): JsonWriteOptions {
  const { indent, sortKeys, ensureAscii, separators } = options;
  if (indent !== undefined && indent !== null && !(typeof indent === "string" || (Number.isInteger(indent) && (indent as number) >= 0))) {
    throw new ArtifactLogError(`json handler option "indent" must be a non-negative integer, a string or null, not ${describe(indent)}`);
  }
  for (const [key, v] of [["sortKeys", sortKeys], ["ensureAscii", ensureAscii]] as const) {
    if (v !== undefined && typeof v !== "boolean") {
      throw new ArtifactLogError(`json handler option "${key}" must be a boolean, not ${describe(v)}`);
    }
  }
  if (
    separators !== undefined &&
    !(Array.isArray(separators) && separators.length === 2 && separators.every((s) => typeof s === "string"))
  ) {
    throw new ArtifactLogError(`json handler option "separators" must be a pair of strings such as [",", ":"]`);
  }
  return {
    indent: indent as JsonWriteOptions["indent"],
    sortKeys: sortKeys as boolean | undefined,
    ensureAscii: ensureAscii as boolean | undefined,
    separators: separators as JsonWriteOptions["separators"],
  };
}

/**
 * Why `value` cannot be written as JSON without losing data, or `null`.
 * Follows `JSON.stringify`: `toJSON()` is honoured, `undefined` object
 * properties are left out, `undefined` array items become `null`.
 */
export function jsonProblem(value: unknown): string | null {
  if (value === undefined) return "undefined cannot be written as JSON (use null)";
  const ancestors = new Set<object>();
  const visit = (v: unknown, path: string, key: string): string | null => {
    if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function") {
      v = (v as { toJSON(key: string): unknown }).toJSON(key);
    }
    switch (typeof v) {
      case "string":
      case "number":
      case "boolean":
      case "undefined":
        return null;
      case "bigint":
        return `${path} is a bigint (${String(v)}n); convert it to a number or string, or use the "v8" handler`;
      case "function":
        return `${path} is a function`;
      case "symbol":
        return `${path} is a symbol`;
    }
    if (v === null) return null;
    const obj = v as object;
    const kind = nonJsonObjectKind(obj);
    if (kind) return `${path} is ${kind}, which JSON would write as {} (use the "v8" handler, or convert it)`;
    if (ancestors.has(obj)) return `${path} is a circular reference`;
    ancestors.add(obj);
    try {
      if (Array.isArray(obj)) {
        for (let i = 0; i < obj.length; i++) {
          const p = visit(obj[i], `${path}[${i}]`, String(i));
          if (p !== null) return p;
        }
      } else {
        for (const k of Object.keys(obj)) {
          const child = (obj as Record<string, unknown>)[k];
          if (child === undefined) continue;
          const p = visit(child, `${path}${/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`}`, k);
          if (p !== null) return p;
        }
      }
    } finally {
      ancestors.delete(obj);
    }
    return null;
  };
  return visit(value, "the value", "");
}

function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || v === null || v === undefined) return String(v);
  return typeof v;
}
