import { setOwn } from "./ownProperty.js";

/**
 * JSON as Python's `json` module reads and writes it: the bare tokens `NaN`,
 * `Infinity` and `-Infinity` are numbers (never `null`), keys can be sorted,
 * and non-ASCII text is escaped as Python's default `ensure_ascii` does.
 */

/** A JSON syntax error with a 1-based line and column. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line} column ${column}`);
  }
}

/**
 * Deepest nesting of arrays and objects accepted in files lazyscribe reads:
 * Python's `json` module cannot read deeper (RecursionError), and deeper
 * values would overflow the stack of recursive code here.
 */
export const MAX_JSON_DEPTH = 990;

/**
 * True when `value` nests arrays / objects deeper than `limit` levels
 * (checked without recursion, so any depth is safe to ask about).
 *
 * @example
 * jsonDepthExceeds([[1]], 1); // true
 */
export function jsonDepthExceeds(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  if (typeof value !== "object" || value === null) return false;
  const stack: Array<[object, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > limit) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) if (typeof c === "object" && c !== null) stack.push([c, depth + 1]);
  }
  return false;
}

/**
 * Parse JSON text that may contain Python's `NaN` / `Infinity` / `-Infinity`.
 * Uses the native parser when it can (fast path) and a small exact parser when
 * the text has those tokens or is malformed (to report line and column).
 */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return new Parser(text).parseDocument();
  }
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  parseDocument(): unknown {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) this.fail("unexpected text after the JSON value");
    return v;
  }

  private value(): unknown {
    const c = this.s[this.i];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "t") return this.literal("true", true);
    if (c === "f") return this.literal("false", false);
    if (c === "n") return this.literal("null", null);
    if (c === "N") return this.literal("NaN", NaN);
    if (c === "I") return this.literal("Infinity", Infinity);
    if (c === "-" && this.s.startsWith("-Infinity", this.i)) return this.literal("-Infinity", -Infinity);
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    return this.fail(c === undefined ? "unexpected end of input" : `unexpected character ${JSON.stringify(c)}`);
  }

  private enter(): void {
    if (++this.depth > MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
  }

  private object(): Record<string, unknown> {
    this.enter();
    const out: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (this.s[this.i] === "}") {
      this.i++;
      this.depth--;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail("expected a string key");
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ":") this.fail('expected ":"');
      this.i++;
      this.ws();
      const v = this.value();
      setOwn(out, key, v);
      this.ws();
      const c = this.s[this.i];
      if (c === ",") { this.i++; continue; }
      if (c === "}") { this.i++; this.depth--; return out; }
      this.fail('expected "," or "}"');
    }
  }

  private array(): unknown[] {
    this.enter();
    const out: unknown[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === "]") {
      this.i++;
      this.depth--;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value());
      this.ws();
      const c = this.s[this.i];
      if (c === ",") { this.i++; continue; }
      if (c === "]") { this.i++; this.depth--; return out; }
      this.fail('expected "," or "]"');
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      const c = this.s.charCodeAt(this.i);
      if (Number.isNaN(c)) this.fail("unterminated string");
      if (c === 34) break;
      if (c < 0x20) this.fail("control character in string");
      if (c === 92) this.i++;
      this.i++;
    }
    this.i++;
    try {
      return JSON.parse(this.s.slice(start, this.i)) as string;
    } catch {
      this.i = start;
      return this.fail("invalid escape in string");
    }
  }

  private number(): number {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.i;
    const r = m.exec(this.s);
    if (!r || r[0] === "-") return this.fail("invalid number");
    this.i += r[0].length;
    return Number(r[0]);
  }

  private literal<T>(word: string, value: T): T {
    if (!this.s.startsWith(word, this.i)) this.fail(`unexpected token (expected ${word})`);
    this.i += word.length;
    return value;
  }

  private ws(): void {
    for (;;) {
      const c = this.s.charCodeAt(this.i);
      if (c === 32 || c === 10 || c === 13 || c === 9) this.i++;
      else return;
    }
  }

  private fail(message: string): never {
    let line = 1, col = 1;
    for (let k = 0; k < this.i && k < this.s.length; k++) {
      if (this.s.charCodeAt(k) === 10) { line++; col = 1; } else col++;
    }
    throw new JsonSyntaxError(message, line, col);
  }
}

export interface StringifyOptions {
  /**
   * Spaces (or a string) per level, as Python's `indent`: `0` puts every item
   * on its own line without indentation; omitted → one line.
   */
  indent?: number | string;
  /**
   * `[itemSeparator, keySeparator]` as Python's `separators`. Default: what
   * `JSON.stringify` writes (`","` / `":"`, or `","` / `": "` when indented);
   * Python's own default for one-line output is `[", ", ": "]`.
   */
  separators?: readonly [string, string];
  /** Sort object keys at every level (Python `sort_keys=True`). */
  sortKeys?: boolean;
  /** Escape non-ASCII as `\uXXXX` (Python's default). */
  ensureAscii?: boolean;
}

/**
 * Serialize like Python's `json.dumps`: `NaN`, `Infinity`, `-Infinity` stay
 * tokens; optional sorted keys, indent and ASCII escaping.
 */
export function stringifyPythonJson(value: unknown, options: StringifyOptions = {}): string {
  const { indent } = options;
  // JSON.stringify cannot indent by 0 or by arbitrary strings: indent by one
  // space, then re-indent (lines of indented JSON start with structural
  // whitespace only, since strings never hold a raw newline).
  const unit = typeof indent === "number" ? " ".repeat(Math.max(0, Math.min(indent, 10_000))) : indent;
  const native = unit === undefined ? undefined : unit.length > 0 && unit.length <= 10 && /^ +$/.test(unit) ? unit.length : 1;
  let text = stringifyNative(value, options, native);
  if (unit !== undefined && native === 1 && unit !== " ") {
    text = text.replace(/\n( *)/g, (_m, spaces: string) => "\n" + unit.repeat(spaces.length));
  }
  if (options.separators) text = applySeparators(text, options.separators[0], options.separators[1], unit !== undefined);
  return text;
}

/** Replace `JSON.stringify`'s separators outside strings with the given ones. */
function applySeparators(text: string, itemSep: string, keySep: string, indented: boolean): string {
  const jsKeySep = indented ? ": " : ":";
  if (itemSep === "," && keySep === jsKeySep) return text;
  let out = "";
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 44) {
      out += text.slice(start, i) + itemSep;
      start = i + 1;
    } else if (c === 58) {
      out += text.slice(start, i) + keySep;
      start = i + jsKeySep.length;
      i = start - 1;
    }
  }
  return out + text.slice(start);
}

function stringifyNative(value: unknown, options: StringifyOptions, indent: number | undefined): string {
  const prepared = options.sortKeys ? sortDeep(value) : value;
  const nonFinite = hasNonFinite(prepared);
  let text: string;
  if (nonFinite) {
    // Swap non-finite numbers for a per-call marker string, then put the tokens back.
    const marker = `\u0000lz${Math.random().toString(36).slice(2)}:`;
    text = JSON.stringify(
      prepared,
      (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? marker + String(v) : v),
      indent,
    );
    const quoted = JSON.stringify(marker).slice(1, -1);
    text = text.replace(new RegExp(`"${escapeRegExp(quoted)}(NaN|Infinity|-Infinity)"`, "g"), "$1");
  } else {
    text = JSON.stringify(prepared, null, indent);
  }
  if (text === undefined) throw new TypeError("value is not JSON-serializable");
  if (options.ensureAscii && /[^\x20-\x7e\n]/.test(text)) {
    // eslint-disable-next-line no-control-regex
    text = text.replace(/[^\x00-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  }
  return text;
}

function hasNonFinite(v: unknown): boolean {
  if (typeof v === "number") return !Number.isFinite(v);
  if (Array.isArray(v)) {
    for (const x of v) if (hasNonFinite(x)) return true;
    return false;
  }
  if (typeof v === "object" && v !== null) {
    if (typeof (v as { toJSON?: unknown }).toJSON === "function") return false;
    for (const k in v) if (hasNonFinite((v as Record<string, unknown>)[k])) return true;
  }
  return false;
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (typeof v === "object" && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) setOwn(out, k, sortDeep((v as Record<string, unknown>)[k]));
    return out;
  }
  return v;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
