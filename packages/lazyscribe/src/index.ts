/**
 * lazyscribe — artifact versioning for data and ML teams, batteries included:
 * local files, the built-in handlers and native hashing are wired as defaults.
 *
 * @example
 * import { Repository } from "lazyscribe";
 * const repo = await Repository.open("repository.json", { mode: "w" });
 * repo.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 });
 * await repo.save();
 */
import "./wireDefaults.js";

export * from "@lazyscribe/core";
export * from "@lazyscribe/storage-fs";
export * from "@lazyscribe/handlers";
export * from "@lazyscribe/release";
export * from "@lazyscribe/experiments";
export { nodeSha256 } from "./nodeSha256.js";
