import { LazyscribeError, MissingPackageError } from "./errors.js";
import { HandlerRegistry } from "./handlers/HandlerRegistry.js";
import type { ArtifactHandler } from "./handlers/ArtifactHandler.js";
import { portableSha256, type HashFactory } from "./hashing/Sha256.js";
import { MemoryStorage } from "./storage/MemoryStorage.js";
import type { StorageBackend } from "./storage/StorageBackend.js";
import { normalizeKey } from "./storage/keys.js";
import {
  locationScheme,
  locationSchemeProvider,
  locationSchemeResolver,
  registerLocationScheme,
  type ResolvedLocation,
} from "./locations.js";

export type { ResolvedLocation } from "./locations.js";

/** Opens local paths / `file://` URLs; provided by `@lazyscribe/storage-fs`. */
export type LocalLocationResolver = (location: string) => ResolvedLocation;

interface Defaults {
  handlers: HandlerRegistry;
  hash: HashFactory;
  local?: LocalLocationResolver;
}

// core knows no concrete I/O: `lazyscribe` (or the user) plugs local storage,
// the built-in handlers and a native hash in here.
const defaults: Defaults = { handlers: new HandlerRegistry(), hash: portableSha256 };
const memory = new MemoryStorage("memory://");

// memory:// and file:// are ordinary entries of the scheme registry.
registerLocationScheme("memory", (location) => ({ storage: memory, key: normalizeKey(location.slice("memory://".length)) }));
registerLocationScheme("file", (location) => localResolver(location));

/**
 * Set process-wide defaults used by `Repository.open` and `Project.open`.
 * The `lazyscribe` package calls this on import with local storage, the
 * built-in handlers and `node:crypto`.
 */
export function configureDefaults(options: Partial<Defaults>): void {
  if (options.handlers) defaults.handlers = options.handlers;
  if (options.hash) defaults.hash = options.hash;
  if (options.local) defaults.local = options.local;
}

/** The default handler registry. */
export function defaultHandlers(): HandlerRegistry {
  return defaults.handlers;
}

/** The default hash factory. */
export function defaultHash(): HashFactory {
  return defaults.hash;
}

/**
 * Add a handler to the default registry, so every repository and project
 * opened without an explicit `handlers` option can use it.
 *
 * @example
 * registerHandler({ alias: "csv", suffix: "csv", binary: false, write: toCsv, read: fromCsv });
 */
export function registerHandler<T>(handler: ArtifactHandler<T>): void {
  defaults.handlers.register(handler);
}

/**
 * Where a manifest lives. With an explicit `storage`, `location` is the key
 * inside it. A location with a scheme uses the resolver registered for it
 * (`registerLocationScheme`: `memory://` is the process-wide memory store,
 * `file://` local files, `s3://` once `@lazyscribe/storage-s3` is loaded); a
 * plain path the local filesystem.
 */
export function resolveLocation(location: string, storage?: StorageBackend): ResolvedLocation {
  if (typeof location !== "string" || location.length === 0) {
    throw new LazyscribeError("location must be a non-empty string such as \"repository.json\"");
  }
  if (storage) return { storage, key: normalizeKey(location.replace(/^(\.\/)+/, "")) };
  const scheme = locationScheme(location);
  if (scheme === undefined) return localResolver(location);
  const resolver = locationSchemeResolver(scheme);
  if (resolver) return resolver(location);
  const provider = locationSchemeProvider(scheme);
  if (provider) {
    throw new MissingPackageError(
      provider,
      `${scheme}:// locations need ${provider}: install it (npm install ${provider}) and import it, or open through the "lazyscribe" package, which loads it on first use`,
    );
  }
  throw new LazyscribeError(
    `no storage backend for ${JSON.stringify(location)}: register one with registerLocationScheme("${scheme}", ...), pass { storage } to open(), or use a local path or memory:// location`,
  );
}

function localResolver(location: string): ResolvedLocation {
  if (!defaults.local) {
    throw new LazyscribeError(
      `no local storage is configured for ${JSON.stringify(location)}: import "lazyscribe" (which wires local files), or pass { storage }`,
    );
  }
  return defaults.local(location);
}
