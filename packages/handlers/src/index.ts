/**
 * @lazyscribe/handlers — the built-in artifact handlers: `json` (Python
 * compatible), `text`, `bytes` (streamed), `v8` (structured clone, Node
 * version checked) and `yaml`.
 */
import { HandlerRegistry, type ArtifactHandler } from "@lazyscribe/core";
import { bytesHandler } from "./bytes.js";
import { jsonHandler } from "./json.js";
import { textHandler } from "./text.js";
import { v8Handler } from "./v8.js";
import { yamlHandler, type YamlReadOptions, type YamlWriteOptions } from "./yaml.js";
import type { JsonWriteOptions } from "./json.js";
import type { BytesReadOptions } from "./bytes.js";

export { jsonHandler, type JsonWriteOptions } from "./json.js";
export { textHandler } from "./text.js";
export { bytesHandler, type BytesValue, type BytesResult, type BytesReadOptions } from "./bytes.js";
export { v8Handler } from "./v8.js";
export { yamlHandler, type YamlWriteOptions, type YamlReadOptions } from "./yaml.js";
export { HandlerRegistry, registerHandler } from "@lazyscribe/core";
export type { ArtifactHandler, ArtifactSource, HandlerReadOptions } from "@lazyscribe/core";

// The options of the built-in handlers, so `logArtifact(name, value, { handler: "json", indnt: 2 })`
// and `loadArtifact(name, { strem: true })` are compile errors for every user of
// these handlers (also through `lazyscribe`, which re-exports @lazyscribe/core).
declare module "@lazyscribe/core" {
  interface HandlerWriteOptionsMap {
    json: JsonWriteOptions;
    text: object;
    bytes: object;
    v8: object;
    yaml: YamlWriteOptions;
  }
  interface HandlerReadOptionsMap {
    json: object;
    text: object;
    bytes: BytesReadOptions;
    v8: object;
    yaml: YamlReadOptions;
  }
}

/**
 * The built-in handlers, in alias order `json`, `text`, `bytes`, `v8`, `yaml`.
 *
 * @example
 * for (const h of builtinHandlers) registerHandler(h);
 */
export const builtinHandlers: ReadonlyArray<ArtifactHandler> = Object.freeze([
  jsonHandler,
  textHandler,
  bytesHandler,
  v8Handler,
  yamlHandler,
]);

/**
 * A new `HandlerRegistry` with the built-in handlers plus `extra` ones (an
 * extra handler with a built-in alias replaces the built-in).
 *
 * @example
 * const handlers = createHandlerRegistry([csvHandler]);
 * const repo = await Repository.open("repository.json", { handlers });
 */
export function createHandlerRegistry(extra: Iterable<ArtifactHandler> = []): HandlerRegistry {
  const registry = new HandlerRegistry();
  for (const h of builtinHandlers) registry.register(h);
  for (const h of extra) registry.register(h);
  return registry;
}
