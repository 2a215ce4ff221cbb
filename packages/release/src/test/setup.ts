// Wire what the `lazyscribe` package wires in production: local files for
// plain paths and the built-in handlers, into core's defaults.
import { configureDefaults, defaultHandlers } from "@lazyscribe/core/internal";
import { builtinHandlers } from "@lazyscribe/handlers";
import { resolveLocalLocation } from "@lazyscribe/storage-fs";

configureDefaults({ local: resolveLocalLocation });
for (const handler of builtinHandlers) defaultHandlers().register(handler);
