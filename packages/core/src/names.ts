import { InvalidNameError } from "./errors.js";
import { keyProblem } from "./storage/keys.js";

/**
 * Check an artifact name. Names become folders (`<name>/<fname>`), so they
 * must be safe relative paths: not empty, not absolute, no `..` / `.`
 * segments, backslashes, NUL or control characters.
 */
export function assertValidName(name: unknown, what = "artifact name"): asserts name is string {
  const problem = nameProblem(name);
  if (problem) throw new InvalidNameError(`invalid ${what} ${safeQuote(name)}: ${problem}`);
}

/** Check a file name: like a name, and a single path segment. */
export function assertValidFname(fname: unknown, what = "file name"): asserts fname is string {
  const problem = fnameProblem(fname);
  if (problem) throw new InvalidNameError(`invalid ${what} ${safeQuote(fname)}: ${problem}`);
}

export function nameProblem(name: unknown): string | null {
  if (typeof name !== "string") return "it must be a string";
  if (name.trim().length === 0) return "it is empty";
  return keyProblem(name);
}

export function fnameProblem(fname: unknown): string | null {
  const p = nameProblem(fname);
  if (p) return p;
  if ((fname as string).includes("/")) return "it must be a single file name without '/'";
  return null;
}

function safeQuote(v: unknown): string {
  try {
    return typeof v === "string" ? JSON.stringify(v) : String(v);
  } catch {
    return "(unprintable)";
  }
}
