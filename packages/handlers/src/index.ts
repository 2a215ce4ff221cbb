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
import { yamlHandler } from "./yaml.js";

export { jsonHandler, type JsonWriteOptions } from "./json.js";
export { textHandler } from "./text.js";
export { bytesHandler, type BytesValue, type BytesResult } from "./bytes.js";
export { v8Handler } from "./v8.js";
export { yamlHandler } from "./yaml.js";
export { HandlerRegistry, registerHandler } from "@lazyscribe/core";
export type { ArtifactHandler, ArtifactSource, HandlerReadOptions } from "@lazyscribe/core";

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
