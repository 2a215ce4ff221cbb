import { LazyscribeError } from "@lazyscribe/core/internal";

/**
 * The values a tag format can use.
 *
 * @example
 * formatTag("v{version}", { version: "1.0.0", createdAt: new Date() } satisfies TagFields);
 */
export interface TagFields {
  /** The project version (`"1.0.0"`). */
  version: string;
  /** The release's creation time; `{year}`, `{month}`, `{day}` are its UTC date. */
  createdAt: Date;
}

/**
 * Placeholders a tag format may contain.
 *
 * @example
 * TAG_PLACEHOLDERS.map((p) => `{${p}}`).join(" "); // "{version} {year} {month} {day}"
 */
export const TAG_PLACEHOLDERS = ["version", "year", "month", "day"] as const;

type Placeholder = (typeof TAG_PLACEHOLDERS)[number];
type Piece = { text: string } | { field: Placeholder };

function parseFormat(format: string): Piece[] | string {
  const pieces: Piece[] = [];
  let text = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === "{" && format[i + 1] === "{") { text += "{"; i++; continue; }
    if (c === "}" && format[i + 1] === "}") { text += "}"; i++; continue; }
    if (c === "}") return `unmatched "}" at position ${i + 1}; write "}}" for a literal brace`;
    if (c !== "{") { text += c; continue; }
    const end = format.indexOf("}", i + 1);
    if (end < 0) return `unmatched "{" at position ${i + 1}; write "{{" for a literal brace`;
    const name = format.slice(i + 1, end);
    if (!(TAG_PLACEHOLDERS as readonly string[]).includes(name)) {
      return `unknown placeholder {${name}}; use ${TAG_PLACEHOLDERS.map((p) => `{${p}}`).join(", ")}`;
    }
    if (text) pieces.push({ text });
    text = "";
    pieces.push({ field: name as Placeholder });
    i = end;
  }
  if (text) pieces.push({ text });
  return pieces;
}

/**
 * Why a tag format is invalid, or `null` when it is fine. Formats use
 * Python `str.format` syntax restricted to `{version}`, `{year}`, `{month}`,
 * `{day}`, with `{{` / `}}` for literal braces.
 *
 * @example
 * tagFormatProblem("v{version}"); // null
 * tagFormatProblem("v{major}");   // "unknown placeholder {major}; use {version}, {year}, {month}, {day}"
 */
export function tagFormatProblem(format: string): string | null {
  const parsed = parseFormat(format);
  return typeof parsed === "string" ? parsed : null;
}

/**
 * Fill in a tag format (default in configs: `"v{version}"`). `{year}` is the
 * four-digit UTC year of `createdAt`; `{month}` and `{day}` are zero-padded to
 * two digits (`2025.03.05`). Python lazyscribe 2.2.1 does not pad them
 * (`2025.3.5`); write `{month}`-free formats if both must agree.
 * An invalid format throws `LazyscribeError`.
 *
 * @example
 * formatTag("v{version}", { version: "1.0.0", createdAt: new Date() });                      // "v1.0.0"
 * formatTag("{year}.{month}.{day}", { version: "1", createdAt: new Date("2025-03-05T10:00:00Z") }); // "2025.03.05"
 */
export function formatTag(format: string, fields: TagFields): string {
  const parsed = parseFormat(format);
  if (typeof parsed === "string") throw new LazyscribeError(`invalid tag format ${JSON.stringify(format)}: ${parsed}`);
  const d = fields.createdAt;
  const values: Record<Placeholder, string> = {
    version: fields.version,
    year: String(d.getUTCFullYear()),
    month: String(d.getUTCMonth() + 1).padStart(2, "0"),
    day: String(d.getUTCDate()).padStart(2, "0"),
  };
  return parsed.map((p) => ("text" in p ? p.text : values[p.field])).join("");
}
