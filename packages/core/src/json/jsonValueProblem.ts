const NOT_JSON: Array<[string, (v: object) => boolean]> = [
  ["a Map", (v) => v instanceof Map],
  ["a Set", (v) => v instanceof Set],
  ["a WeakMap", (v) => v instanceof WeakMap],
  ["a WeakSet", (v) => v instanceof WeakSet],
  ["an ArrayBuffer", (v) => v instanceof ArrayBuffer],
  ["a typed array", (v) => ArrayBuffer.isView(v)],
  ["a RegExp", (v) => v instanceof RegExp],
  ["a Promise", (v) => v instanceof Promise],
];

/** What kind of object JSON would write as `{}` (`"a Map"`, `"a typed array"`, ...), or `null` when it writes it faithfully. */
export function nonJsonObjectKind(obj: object): string | null {
  for (const [what, test] of NOT_JSON) if (test(obj)) return what;
  return null;
}

/**
 * Why `value` cannot be written to a JSON file without losing something, or
 * `null`: functions, symbols, bigints, `undefined` (which `JSON.stringify`
 * would drop or turn into `null`), `Map` / `Set` / typed arrays (written as
 * `{}`), circular references. `toJSON()` is honoured (a `Date` is its ISO
 * string); `NaN` / `Infinity` are fine (Python's tokens). Iterative, so any
 * depth is safe. `path` names the value in the message.
 *
 * @example
 * jsonValueProblem({ t: Number }, "parameters"); // "parameters.t is a function"
 */
export function jsonValueProblem(value: unknown, path = "the value"): string | null {
  const stack: Array<{ v: unknown; path: string; key: string; ancestors: ReadonlySet<object> }> = [{ v: value, path, key: "", ancestors: new Set() }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    let v = item.v;
    if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function") {
      v = (v as { toJSON(key: string): unknown }).toJSON(item.key);
    }
    switch (typeof v) {
      case "string":
      case "number":
      case "boolean":
        continue;
      case "undefined":
        return `${item.path} is undefined, which JSON cannot hold (use null)`;
      case "bigint":
        return `${item.path} is a bigint (${String(v)}n); convert it to a number or a string`;
      case "function":
        return `${item.path} is a function`;
      case "symbol":
        return `${item.path} is a symbol`;
    }
    if (v === null) continue;
    const obj = v as object;
    const kind = nonJsonObjectKind(obj);
    if (kind) return `${item.path} is ${kind}, which JSON would write as {}`;
    if (item.ancestors.has(obj)) return `${item.path} is a circular reference`;
    const ancestors = new Set(item.ancestors).add(obj);
    if (Array.isArray(obj)) {
      for (let i = obj.length - 1; i >= 0; i--) stack.push({ v: obj[i], path: `${item.path}[${i}]`, key: String(i), ancestors });
    } else {
      const keys = Object.keys(obj);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        const p = /^[A-Za-z_$][\w$]*$/.test(k) ? `${item.path}.${k}` : `${item.path}[${JSON.stringify(k)}]`;
        stack.push({ v: (obj as Record<string, unknown>)[k], path: p, key: k, ancestors });
      }
    }
  }
  return null;
}
