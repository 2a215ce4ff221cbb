/**
 * Artifact files of a local repository must really be inside its folder:
 * a file replaced by a symlink to elsewhere (for example an entry written
 * by Python, which has no sha256 to catch it) is refused, never read.
 */
import { realpath } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { BadRequestError } from "./httpError.js";

/** The local folder of a manifest location, or null for other backends. */
export function localFolder(location: string): string | null {
  if (/^file:\/\//i.test(location)) return dirname(fileURLToPath(location));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return null;
  return dirname(resolve(location));
}

/** Throw unless `<folder>/<name>/<fname>` resolves (through symlinks) to a file inside `folder`. */
export async function assertInsideFolder(location: string, name: string, fname: string): Promise<void> {
  const folder = localFolder(location);
  if (folder === null) return;
  let root: string;
  let real: string;
  try {
    root = await realpath(folder);
    real = await realpath(join(folder, name, fname));
  } catch {
    return; // missing files are reported by the library with its own error
  }
  if (!real.startsWith(root + sep)) {
    throw new OutsideFolderError(`the file of "${name}" (${fname}) points outside the repository folder (a symlink); it is not shown`);
  }
}

export class OutsideFolderError extends BadRequestError {
  override readonly code: string = "OUTSIDE_REPOSITORY";
}
