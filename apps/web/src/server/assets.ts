/**
 * The built front end (`dist/public`), read once into memory. Requests can
 * only name files in this fixed map, so no URL reaches another file.
 */
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

export interface Asset {
  body: Uint8Array;
  type: string;
}

/** The folder with index.html, app.js and app.css next to the built server. */
export function defaultAssetFolder(): string {
  return fileURLToPath(new URL("./public/", import.meta.url));
}

/** Regular files directly in `folder` (symlinks and sub-folders are ignored), by URL path. */
export function readAssets(folder: string): Map<string, Asset> {
  const out = new Map<string, Asset>();
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return out;
  }
  for (const f of entries) {
    const file = join(folder, f);
    const type = TYPES[extname(f)];
    if (!type || !lstatSync(file).isFile()) continue;
    out.set(`/${f}`, { body: readFileSync(file), type });
  }
  return out;
}
