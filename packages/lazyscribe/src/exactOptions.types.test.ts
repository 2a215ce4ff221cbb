/**
 * Issue 14 point 15, the type-level half: through `lazyscribe` (which
 * re-exports @lazyscribe/core and @lazyscribe/handlers from their built
 * declarations), option objects are exact. Checked by `tsc` in `typecheck`;
 * the functions are never called. Each `@ts-expect-error` fails the type
 * check if an index signature came back or the handlers' augmentation of
 * @lazyscribe/core stopped reaching users.
 */
import { describe, expect, it } from "vitest";
import type { ArtifactLoadOptions, DynamicLogOptions, Experiment, LoadOptions, LogOptions, Repository } from "./index.js";

function repositoryOptionTypes(repo: Repository): void {
  repo.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 });
  repo.logArtifact("features", [0, 1, 2], { indent: 4, fname: "features.json", createdAt: new Date() });
  repo.logArtifact("features", [0, 1, 2]);
  const alias: string = "json";
  repo.logArtifact("features", [0, 1, 2], { handler: alias, indent: 4 });
  const fromCli: DynamicLogOptions = { handler: alias, indent: 4 };
  repo.logArtifact("features", [0, 1, 2], fromCli);
  const json: LogOptions<"json"> = { handler: "json", sortKeys: true };
  repo.logArtifact("features", [0, 1, 2], json);
  // @ts-expect-error -- misspelt `handler`
  repo.logArtifact("features", [0, 1, 2], { handlr: "json" });
  // @ts-expect-error -- misspelt `indent`
  repo.logArtifact("features", [0, 1, 2], { indnt: 2 });
  // @ts-expect-error -- misspelt `indent` with a handler
  repo.logArtifact("features", [0, 1, 2], { handler: "json", indnt: 2 });
  // @ts-expect-error -- no installed handler has this alias
  repo.logArtifact("features", [0, 1, 2], { handler: "nope" });
  void repo.loadArtifact("features", { version: 0, match: "exact" });
  void repo.loadArtifact("features", { version: "2025-01-01T00:00:00", match: "asof", verify: false, validate: false });
  void repo.loadArtifact("weights", { stream: true });
  // @ts-expect-error -- misspelt `match`
  void repo.loadArtifact("features", { mtch: "asof" });
  // @ts-expect-error -- `LoadOptions` has no index signature
  const load: LoadOptions = { version: 0, mtch: "asof" };
  void load;
}

function experimentOptionTypes(exp: Experiment): void {
  exp.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4, overwrite: true });
  exp.logArtifact("features", [0, 1, 2], { indent: 4 });
  const alias: string = "json";
  exp.logArtifact("features", [0, 1, 2], { handler: alias, indent: 4 });
  // @ts-expect-error -- misspelt `handler`
  exp.logArtifact("features", [0, 1, 2], { handlr: "json" });
  // @ts-expect-error -- misspelt `indent`
  exp.logArtifact("features", [0, 1, 2], { indnt: 2 });
  // @ts-expect-error -- no installed handler has this alias
  exp.logArtifact("features", [0, 1, 2], { handler: "nope" });
  void exp.loadArtifact("features", { verify: false });
  // @ts-expect-error -- misspelt `verify`
  void exp.loadArtifact("features", { verfy: false });
  // @ts-expect-error -- `ArtifactLoadOptions` has no index signature
  const load: ArtifactLoadOptions = { verfy: false };
  void load;
}

describe("exact option types", () => {
  it("are checked by tsc (typecheck); this only keeps the file a test", () => {
    expect([typeof repositoryOptionTypes, typeof experimentOptionTypes]).toEqual(["function", "function"]);
  });
});
