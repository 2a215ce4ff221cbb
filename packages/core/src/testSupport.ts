// Test-only helpers (not exported from the package index).
import type { ArtifactHandler } from "./handlers/ArtifactHandler.js";
import { HandlerRegistry } from "./handlers/HandlerRegistry.js";
import { parsePythonJson, stringifyPythonJson } from "./json/pythonJson.js";
import { MemoryStorage } from "./storage/MemoryStorage.js";
import { Repository } from "./repository/Repository.js";
import type { Mode } from "./repository/options.js";

/** Minimal JSON and text handlers so core tests need no other package. */
export const testJson: ArtifactHandler = {
  alias: "json",
  suffix: "json",
  binary: false,
  write: (v, o) => stringifyPythonJson(v, { indent: o.indent as number | undefined }),
  read: async (src) => parsePythonJson(await src.text()),
};
export const testText: ArtifactHandler<string> = {
  alias: "text",
  suffix: "txt",
  binary: false,
  write: (v) => v,
  read: (src) => src.text(),
};
export const testBytes: ArtifactHandler<Uint8Array> = {
  alias: "bytes",
  suffix: "bin",
  binary: true,
  write: (v) => v,
  read: (src) => src.bytes(),
};

export function testRegistry(): HandlerRegistry {
  return new HandlerRegistry([testJson, testText, testBytes] as ArtifactHandler[]);
}

/** A settable clock. */
export function fakeClock(start: string): { now: () => Date; set: (t: string) => void; tick: (s: number) => void } {
  let t = new Date(start + "Z").getTime();
  return {
    now: () => new Date(t),
    set: (s) => { t = new Date(s + "Z").getTime(); },
    tick: (s) => { t += s * 1000; },
  };
}

export function openMem(storage: MemoryStorage, mode: Mode, now: () => Date): Promise<Repository> {
  return Repository.open("repository.json", { storage, mode, now, handlers: testRegistry() });
}
