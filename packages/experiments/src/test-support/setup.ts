// Vitest setup: local paths through @lazyscribe/storage-fs and the built-in
// handlers in core's default registry, as the `lazyscribe` package wires them.
import { configureDefaults, defaultHandlers } from "@lazyscribe/core/internal";
import { builtinHandlers } from "@lazyscribe/handlers";
import { resolveLocalLocation } from "@lazyscribe/storage-fs";

configureDefaults({ local: resolveLocalLocation });
const handlers = defaultHandlers();
for (const h of builtinHandlers) if (!handlers.has(h.alias)) handlers.register(h);
