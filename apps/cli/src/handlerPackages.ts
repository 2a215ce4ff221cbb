/**
 * Handler packages the CLI picks up when they are installed: every package
 * that exports `lazyscribeHandlers` (an array of `ArtifactHandler`s). The
 * official ones are looked for by name; `LAZYSCRIBE_HANDLER_PACKAGES`
 * (comma-separated package names) adds third-party ones. A package is
 * resolved from the current folder first (a project's node_modules), then
 * from the CLI's own location, and imported only when a command meets an
 * artifact whose handler is not registered yet.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ArtifactHandler, HandlerRegistry } from "lazyscribe";

/** The package that provides each alias of the official handler packages. */
export const HANDLER_PACKAGES: Readonly<Record<string, string>> = Object.freeze({
  parquet: "@lazyscribe/handlers-arrow",
  csv: "@lazyscribe/handlers-arrow",
  onnx: "@lazyscribe/handlers-onnx",
});

let loaded: Promise<string[]> | undefined;

function packageNames(): string[] {
  const extra = (process.env.LAZYSCRIBE_HANDLER_PACKAGES ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return [...new Set([...Object.values(HANDLER_PACKAGES), ...extra])];
}

function resolvePackage(name: string): string | null {
  for (const from of [path.join(process.cwd(), "noop.js"), import.meta.url]) {
    try {
      return createRequire(from).resolve(name);
    } catch {
      // not installed there
    }
  }
  return null;
}

/** Import every installed handler package once and register its handlers; returns the packages found. */
export function loadHandlerPackages(registry: HandlerRegistry): Promise<string[]> {
  return (loaded ??= (async () => {
    const found: string[] = [];
    for (const name of packageNames()) {
      const file = resolvePackage(name);
      if (file === null) continue;
      const mod = (await import(pathToFileURL(file).href)) as { lazyscribeHandlers?: ReadonlyArray<ArtifactHandler>; default?: { lazyscribeHandlers?: ReadonlyArray<ArtifactHandler> } };
      const handlers = mod.lazyscribeHandlers ?? mod.default?.lazyscribeHandlers;
      if (!Array.isArray(handlers)) continue;
      for (const h of handlers) if (!registry.has(h.alias)) registry.register(h);
      found.push(name);
    }
    return found;
  })());
}

/** Make sure the handler of `alias` is registered if a package providing it is installed; true when it is. */
export async function ensureHandler(registry: HandlerRegistry, alias: string): Promise<boolean> {
  if (registry.has(alias)) return true;
  await loadHandlerPackages(registry);
  return registry.has(alias);
}

/** A hint naming the package to install for an alias, or "". */
export function installHint(alias: string): string {
  const pkg = HANDLER_PACKAGES[alias];
  return pkg ? ` (install ${pkg} to read it)` : "";
}
