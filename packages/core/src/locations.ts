/**
 * Tiny pure path helpers for locations (`/`-separated, no `node:path`), so
 * releases and project dependencies resolve the same for local paths,
 * `file://` URLs and `memory://` locations, in Node, browsers and edge runtimes.
 *
 * Locations may start with a scheme (`memory://`, `file://`); a Windows drive
 * path (`C:\proj`) is treated as absolute and its backslashes as separators.
 */

import { InvalidNameError } from "./errors.js";
import type { StorageBackend } from "./storage/StorageBackend.js";

const SCHEME = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/is;
const DRIVE = /^[A-Za-z]:[\\/]/;

/** Split `memory://a/b` into `["memory://", "a/b"]`; plain paths have an empty prefix. */
function splitScheme(location: string): [prefix: string, path: string] {
  const m = SCHEME.exec(location);
  return m ? [m[1]!, m[2]!] : ["", location];
}

/** True for `memory://...`, `file://...`, `s3://...`. */
export function hasScheme(location: string): boolean {
  return SCHEME.test(location);
}

/**
 * True for `/abs`, `C:\abs`, `\\server\share`, and locations with a scheme.
 *
 * @example
 * isAbsoluteLocation("/srv/repository.json"); // true
 * isAbsoluteLocation("src/repository.json");  // false
 */
export function isAbsoluteLocation(location: string): boolean {
  return SCHEME.test(location) || location.startsWith("/") || location.startsWith("\\") || DRIVE.test(location);
}

/**
 * Normalize a location: collapse repeated separators, drop `.` segments and
 * resolve `..` against earlier segments. Leading `..` segments of a relative
 * path are kept (storage rejects them if they would escape); at the root of an
 * absolute path they are dropped, as POSIX does. Keeps a scheme prefix.
 *
 * @example
 * normalizeLocation("./src//model-1/../model-2/repository.json"); // "src/model-2/repository.json"
 * normalizeLocation("memory://proj/./a/repository.json");          // "memory://proj/a/repository.json"
 */
export function normalizeLocation(location: string): string {
  const [prefix, rawPath] = splitScheme(location);
  const drive = !prefix && DRIVE.test(rawPath);
  const path = drive ? rawPath.replace(/\\/g, "/") : rawPath;
  const rooted = path.startsWith("/");
  const head = drive ? path.slice(0, 3) : rooted ? "/" : "";
  const body = drive ? path.slice(3) : path;
  const absolute = drive || rooted;
  const out: string[] = [];
  for (const segment of body.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
      continue;
    }
    out.push(segment);
  }
  const joined = head + out.join("/");
  if (joined === "") return prefix ? prefix : ".";
  return prefix + joined;
}

/**
 * Join a base folder and a path the way a shell would: an absolute `path`
 * (or one with a scheme) replaces the base; otherwise it is appended and the
 * result normalized.
 *
 * @example
 * joinLocation("/work/proj", "src/model-1/repository.json"); // "/work/proj/src/model-1/repository.json"
 * joinLocation(".", "src/model-1/repository.json");          // "src/model-1/repository.json"
 * joinLocation("memory://proj", "../other/repository.json"); // "memory://other/repository.json"
 */
export function joinLocation(base: string, path: string): string {
  if (isAbsoluteLocation(path)) return normalizeLocation(path);
  const [prefix, basePath] = splitScheme(base);
  const sep = DRIVE.test(basePath) ? basePath.replace(/\\/g, "/") : basePath;
  const joined = normalizeLocation(prefix + (sep === "" ? path : `${sep}/${path}`));
  assertSameBucket(base, path, joined);
  return joined;
}

// Schemes whose first segment is a bucket: `..` stops at it, as it does at a
// filesystem root, instead of silently naming another bucket.
const BUCKET_SCHEMES = new Set(["s3"]);

function assertSameBucket(base: string, path: string, joined: string): void {
  const scheme = locationScheme(base);
  if (scheme === undefined || !BUCKET_SCHEMES.has(scheme)) return;
  const bucket = (location: string) => splitScheme(location)[1].split("/")[0];
  if (bucket(joined) !== bucket(base) || splitScheme(joined)[1].split("/").includes("..")) {
    throw new InvalidNameError(
      `${JSON.stringify(path)} climbs out of ${scheme}://${bucket(base)} (joined to ${JSON.stringify(base)}): a relative location stays in its bucket; give the full ${scheme}://<bucket>/<key> location instead`,
    );
  }
}

/**
 * The folder part of a location (`.` for a bare file name).
 *
 * @example
 * dirnameLocation("src/model-1/repository.json"); // "src/model-1"
 * dirnameLocation("repository.json");             // "."
 */
export function dirnameLocation(location: string): string {
  const normalized = normalizeLocation(location);
  const [prefix, path] = splitScheme(normalized);
  const i = path.lastIndexOf("/");
  if (i < 0) return prefix ? prefix : ".";
  if (i === 0) return prefix + "/";
  if (/^[A-Za-z]:\/$/.test(path.slice(0, i + 1)) && i === 2) return prefix + path.slice(0, 3);
  return prefix + path.slice(0, i);
}

// ---------------------------------------------------------------------------
// Location schemes


/** A manifest's place: the backend and the manifest's key inside it. */
export interface ResolvedLocation {
  storage: StorageBackend;
  key: string;
}

/** Opens every location of one scheme (`s3://bucket/prefix/repository.json` → backend + key). */
export type LocationResolver = (location: string) => ResolvedLocation;

const schemes = new Map<string, LocationResolver>();

// Packages that provide a scheme, named in the error when it is not loaded.
const knownProviders: Record<string, string> = { s3: "@lazyscribe/storage-s3" };

/**
 * Open `<scheme>://...` locations with `resolver` in `Repository.open`,
 * `Project.open`, releases and every other place that takes a location.
 * `memory://` and `file://` are registered this way too; registering a scheme
 * again replaces its resolver.
 *
 * @example
 * registerLocationScheme("s3", (location) => {
 *   const { bucket, folder, file } = splitBucketLocation(location);
 *   return { storage: new S3Storage({ bucket, prefix: folder }), key: file };
 * });
 */
export function registerLocationScheme(scheme: string, resolver: LocationResolver): void {
  if (!/^[a-z][a-z0-9+.-]*$/i.test(scheme)) throw new TypeError(`invalid location scheme ${JSON.stringify(scheme)}`);
  schemes.set(scheme.toLowerCase(), resolver);
}

/** The scheme of a location (`"s3"` for `s3://b/k`, lower-cased), or `undefined` for a plain path. */
export function locationScheme(location: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location);
  return m ? m[1]!.toLowerCase() : undefined;
}

/** The resolver registered for `scheme`, if any. */
export function locationSchemeResolver(scheme: string): LocationResolver | undefined {
  return schemes.get(scheme.toLowerCase());
}

/** The package to install for an unregistered scheme (`"@lazyscribe/storage-s3"` for `s3`), if known. */
export function locationSchemeProvider(scheme: string): string | undefined {
  return knownProviders[scheme.toLowerCase()];
}

/**
 * Split a bucket-style location (`s3://bucket/models/repository.json`) into
 * its bucket, the folder inside it (`"models"`, `""` at the root) and the
 * file name (`"repository.json"`).
 *
 * @example
 * splitBucketLocation("s3://ml/models/repository.json");
 * // { scheme: "s3", bucket: "ml", folder: "models", file: "repository.json" }
 */
export function splitBucketLocation(location: string): { scheme: string; bucket: string; folder: string; file: string } {
  const scheme = locationScheme(location);
  if (!scheme) throw new TypeError(`${JSON.stringify(location)} has no scheme (expected e.g. s3://bucket/repository.json)`);
  const rest = location.slice(scheme.length + 3);
  const slash = rest.indexOf("/");
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? "" : rest.slice(slash + 1);
  const cut = path.lastIndexOf("/");
  return { scheme, bucket, folder: cut < 0 ? "" : path.slice(0, cut), file: cut < 0 ? path : path.slice(cut + 1) };
}
