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

/**
 * Check a file name: a relative `/`-separated path inside the artifact folder
 * (`mydir/subdir/x.json` is written as `<name>/mydir/subdir/x.json`, as
 * Python lazyscribe does), with the same rules as a name.
 */
export function assertValidFname(fname: unknown, what = "file name"): asserts fname is string {
  const problem = fnameProblem(fname);
  if (problem) throw new InvalidNameError(`invalid ${what} ${safeQuote(fname)}: ${problem}`);
}

/**
 * Files that live beside artifact folders: the manifest itself, Python's
 * `releases.json` and `project.json`, their `.lock` files and the storage
 * backends' temp files and staging folders (`*.lztmp`, which `gc` removes). An artifact
 * folder of one of these names would break every later save.
 */
const CONTROL_FILES = ["repository.json", "releases.json", "project.json"];
/** Suffix of temp files and staging folders the storage backends write (and `gc` removes as leftovers). */
const TEMP_SUFFIX = ".lztmp";

/**
 * Refuse an artifact name whose folder (`<name>/` beside the manifest) would
 * collide with a control file of the repository or project — compared
 * without case, since macOS and Windows folders ignore it.
 *
 * @example
 * assertNotReserved("repository.json.lock", "repository.json"); // throws InvalidNameError
 */
export function assertNotReserved(name: string, manifestName: string): void {
  const first = name.split("/")[0]!.toLowerCase();
  const reserved = new Set<string>();
  // `.<file>.commit.lztmp` is the local backend's commit staging folder.
  for (const f of [manifestName.toLowerCase(), ...CONTROL_FILES]) reserved.add(f).add(`${f}.lock`).add(`.${f}.commit.lztmp`);
  if (reserved.has(first) || first.endsWith(TEMP_SUFFIX)) {
    throw new InvalidNameError(
      `invalid artifact name ${safeQuote(name)}: its folder would collide with the control file "${first}" beside ${manifestName}; choose another name`,
    );
  }
}

export function nameProblem(name: unknown): string | null {
  if (typeof name !== "string") return "it must be a string";
  if (name.trim().length === 0) return "it is empty";
  return keyProblem(name);
}

export function fnameProblem(fname: unknown): string | null {
  return nameProblem(fname);
}

function safeQuote(v: unknown): string {
  try {
    return typeof v === "string" ? JSON.stringify(v) : String(v);
  } catch {
    return "(unprintable)";
  }
}
