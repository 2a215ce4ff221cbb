/**
 * Python's `json.dumps` layout, for values that must keep their key order
 * (releases are written `tag`, `artifacts`, `created_at`, not sorted):
 * `indent` (an integer, 0 included) puts every item on its own line with `","`
 * and `": "` separators; `indent: null` writes one line with `", "` and
 * `": "`. Non-ASCII is escaped (`ensure_ascii=True`), `NaN` / `Infinity` stay
 * bare tokens, empty containers are `[]` / `{}`.
 *
 * @example
 * pythonDumps([{ tag: "v1", artifacts: [] }], 4); // '[\n    {\n        "tag": "v1",\n        "artifacts": []\n    }\n]'
 * pythonDumps({ a: [1, 2] }, null);               // '{"a": [1, 2]}'
 */
export function pythonDumps(value: unknown, indent: number | null): string {
  return encode(value, indent, 0);
}

function encode(value: unknown, indent: number | null, level: number): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return encodeNumber(value);
  if (typeof value === "string") return encodeString(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return encode((value as { toJSON: () => unknown }).toJSON(), indent, level);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return container("[", "]", value.map((v) => encode(v, indent, level + 1)), indent, level);
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    return container("{", "}", entries.map(([k, v]) => `${encodeString(k)}: ${encode(v, indent, level + 1)}`), indent, level);
  }
  throw new TypeError(`value of type ${typeof value} is not JSON-serializable`);
}

function container(open: string, close: string, items: string[], indent: number | null, level: number): string {
  if (indent === null) return `${open}${items.join(", ")}${close}`;
  const inner = "\n" + " ".repeat(indent * (level + 1));
  const outer = "\n" + " ".repeat(indent * level);
  return `${open}${inner}${items.join(`,${inner}`)}${outer}${close}`;
}

function encodeNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return JSON.stringify(n);
}

function encodeString(s: string): string {
  // JSON.stringify escapes `"`, `\` and C0 controls as Python does; Python's
  // ensure_ascii also escapes DEL and everything beyond ASCII, in lowercase hex.
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(s).replace(/[^\x00-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
