import { InvalidNameError } from "../errors.js";

// Control characters (C0, DEL, C1) are never allowed in names or keys.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Check a relative storage key: `/`-separated, no empty / `.` / `..` segments,
 * not absolute, no backslashes, drive letters or control characters.
 * Returns the key unchanged; throws {@link InvalidNameError} otherwise.
 */
export function normalizeKey(key: string): string {
  const problem = keyProblem(key);
  if (problem) throw new InvalidNameError(`invalid storage key ${JSON.stringify(key)}: ${problem}`);
  return key;
}

// The common case (e.g. "features-20250101120000.json"): one plain segment.
const SIMPLE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Why `key` is not a safe relative path, or `null` if it is. */
export function keyProblem(key: string): string | null {
  if (typeof key !== "string" || key.length === 0) return "it is empty";
  if (SIMPLE_SEGMENT.test(key) && key !== "." && key !== "..") return null;
  if (CONTROL.test(key)) return "it contains NUL or control characters";
  if (key.includes("\\")) return "it contains a backslash";
  if (key.startsWith("/")) return "it is absolute";
  if (/^[A-Za-z]:/.test(key)) return "it starts with a drive letter";
  for (const segment of key.split("/")) {
    if (segment === "") return "it has an empty path segment";
    if (segment === "." || segment === "..") return `it has a "${segment}" segment that would escape the folder`;
  }
  return null;
}

/** Join key parts with `/`, skipping empty parts (the root folder is ""). */
export function joinKey(...parts: string[]): string {
  return parts.filter((p) => p.length > 0).join("/");
}

/** The folder part of a key ("" for a top-level key). */
export function dirnameKey(key: string): string {
  const i = key.lastIndexOf("/");
  return i < 0 ? "" : key.slice(0, i);
}
