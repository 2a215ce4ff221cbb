/**
 * Everything the CLI prints: one JSON document with `--json`, aligned tables
 * otherwise, ANSI colour only on a TTY without `NO_COLOR`. Tiny on purpose.
 */

interface MaybeTty {
  isTTY?: boolean;
}

/** Colour is used when the stream is a terminal and `NO_COLOR` is not set at all. */
export function colorEnabled(stream: MaybeTty): boolean {
  return stream.isTTY === true && process.env.NO_COLOR === undefined;
}

export type Paint = (text: string) => string;

/** The few ANSI styles the CLI uses; identity functions when colour is off. */
export interface Palette {
  bold: Paint;
  dim: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
}

const sgr = (open: number, close: number): Paint => (text) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain: Paint = (text) => text;

export function palette(enabled: boolean): Palette {
  if (!enabled) return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) };
}

/** Colours for stdout (tables, diffs). */
export function stdoutColors(): Palette {
  return palette(colorEnabled(process.stdout));
}

/** Colours for stderr (error and warning prefixes). */
export function stderrColors(): Palette {
  return palette(colorEnabled(process.stderr));
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Printed width of a string (ANSI escapes do not count). */
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, "")].length;
}

export type Align = "left" | "right";

export interface Column {
  header: string;
  align?: Align;
}

/**
 * Aligned columns separated by two spaces; the header is bold when colour is
 * on. Trailing spaces are trimmed.
 */
export function table(columns: Column[], rows: string[][], colors: Palette = stdoutColors()): string {
  const widths = columns.map((c, i) => Math.max(visibleWidth(c.header), ...rows.map((r) => visibleWidth(r[i] ?? ""))));
  const pad = (text: string, i: number): string => {
    const fill = " ".repeat(Math.max(0, widths[i]! - visibleWidth(text)));
    return columns[i]!.align === "right" ? fill + text : text + fill;
  };
  const line = (cells: string[]): string => cells.map((c, i) => pad(c, i)).join("  ").replace(/\s+$/, "");
  const header = colors.bold(line(columns.map((c) => c.header)));
  return [header, ...rows.map(line)].join("\n") + "\n";
}

/** Key/value lines (`show`), keys padded to one width. */
export function keyValues(pairs: Array<[string, string]>, colors: Palette = stdoutColors()): string {
  const width = Math.max(0, ...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${colors.bold(k.padEnd(width))}  ${v}`).join("\n") + "\n";
}

/** Print exactly one JSON document on stdout. */
export function printJson(doc: unknown): void {
  process.stdout.write(JSON.stringify(doc, jsonReplacer, 2) + "\n");
}

/**
 * BigInt becomes its decimal string; non-finite numbers (metrics may be NaN
 * or infinite) become the strings "NaN", "Infinity", "-Infinity" rather than
 * JSON.stringify's lossy `null`.
 */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}

/** Write text to stdout. */
export function print(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** A warning on stderr (`lazyscribe: warning: ...`). */
export function warn(message: string): void {
  const c = stderrColors();
  process.stderr.write(`lazyscribe: ${c.yellow("warning:")} ${message.replace(/\s*\n\s*/g, " ")}\n`);
}

/** ISO 8601 UTC with `Z`, second precision (`2025-01-05T08:30:00Z`), or null. */
export function isoTime(date: Date | null | undefined): string | null {
  if (!date || Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A time for tables: ISO with `Z`, or `-`. */
export function humanTime(date: Date | null | undefined): string {
  return isoTime(date) ?? "-";
}

/** `1.5 KiB`, `12 B`, `-` when unknown. */
export function humanSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "-";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A value for a table cell (metrics, parameters): JSON-ish, NaN kept readable. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return "-";
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "string") return value;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
}

/** Example block for `--help` (commander `addHelpText('after', ...)`). */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}
