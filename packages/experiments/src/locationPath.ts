/**
 * `/`-separated path arithmetic on storage keys (and the folder part of
 * locations), without `node:path`; location joining and absoluteness come
 * from core's location helpers.
 */
import { isAbsoluteLocation, locationScheme } from "@lazyscribe/core/internal";

/**
 * The scheme of a location in object storage (`"s3"` for `s3://bucket/key`):
 * any scheme but the local `file` and in-process `memory`. Python lazyscribe
 * on fsspec names such files bucket first, without the scheme. Else undefined.
 */
export function objectStoreScheme(location: string): string | undefined {
  const scheme = locationScheme(location);
  return scheme === undefined || scheme === "file" || scheme === "memory" ? undefined : scheme;
}

/** The folder part of a location or key (`""` when there is none). */
export function dirnameOf(location: string): string {
  const i = location.lastIndexOf("/");
  if (i < 0) return "";
  const head = location.slice(0, i);
  // Keep "scheme://" intact and the root "/" of an absolute path.
  if (/^[a-z][a-z0-9+.-]*:\/?$/i.test(head) || head === "") return location.slice(0, i + 1);
  return head;
}

/**
 * Resolve `.` and `..` segments. Leading `..` segments of a relative path are
 * kept unless `strict`, in which case escaping the start returns `null`.
 */
export function normalizeSegments(path: string, strict = false): string | null {
  const m = /^([a-z][a-z0-9+.-]*:\/\/|\/+)?(.*)$/i.exec(path)!;
  const prefix = m[1] ?? "";
  const out: string[] = [];
  for (const seg of m[2]!.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (strict) return null;
      else if (!prefix) out.push(".."); // the root's parent is the root
      continue;
    }
    out.push(seg);
  }
  return prefix + out.join("/");
}

/**
 * The key of `relative` against `folder` inside one storage backend, or
 * `null` when it would leave the backend's root.
 */
export function joinKeyRelative(folder: string, relative: string): string | null {
  if (isAbsoluteLocation(relative) || relative.includes("\\")) return null;
  const key = normalizeSegments(folder === "" ? relative : `${folder}/${relative}`, true);
  return key ? key : null;
}

/**
 * The relative path from folder `fromFolder` to `target` (both keys or both
 * paths of the same kind), e.g. `("a/b", "a/c/x.json")` → `"../c/x.json"`.
 */
export function relativeTo(fromFolder: string, target: string): string {
  const from = (normalizeSegments(fromFolder) ?? fromFolder).split("/").filter(Boolean);
  const to = (normalizeSegments(target) ?? target).split("/").filter(Boolean);
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => ".."), ...to.slice(i)].join("/");
}
