import { configureDefaults, defaultHandlers, setDefaultWarningHandler } from "@lazyscribe/core/internal";
import { builtinHandlers } from "@lazyscribe/handlers";
import { resolveLocalLocation } from "@lazyscribe/storage-fs";
import { nodeSha256 } from "./nodeSha256.js";
import { registerDeferredS3 } from "./deferredS3.js";

// Importing `lazyscribe` makes local paths, the built-in handlers and native
// hashing the defaults of every Repository.open / Project.open.
configureDefaults({ local: resolveLocalLocation, hash: nodeSha256 });
const registry = defaultHandlers();
for (const handler of builtinHandlers) {
  // Keep handlers the user registered under a built-in alias before importing us.
  if (!registry.has(handler.alias)) registry.register(handler);
}

// Warnings Python lazyscribe gives (output-only artifacts, filter() skipping a
// name) reach the user as Node process warnings unless `onWarning` is given.
setDefaultWarningHandler((warning) => process.emitWarning(warning));

// s3:// locations load @lazyscribe/storage-s3 (and the AWS SDK) on first use only.
registerDeferredS3();
