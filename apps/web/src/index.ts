/**
 * @lazyscribe/web — the local, read-only timeline view behind `lazyscribe ui`:
 * an HTTP API over the library and a small page built at `pnpm build` time.
 *
 * @example
 * import { startServer } from "@lazyscribe/web";
 * const server = await startServer({ repository: "repository.json", project: "project.json" });
 * console.log(server.url);
 */
export { createApp, metadataJson, PREVIEW_BYTES, type AppOptions } from "./server/app.js";
export { startServer, isLoopback, type RunningServer, type ServeOptions } from "./server/serve.js";
export { isAllowedHost, CSP, type Binding } from "./server/security.js";
export { releasesBeside, type SourceLocations } from "./server/sources.js";
