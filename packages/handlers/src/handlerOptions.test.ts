import { describe, expect, it } from "vitest";
import type { LoadOptions, Repository } from "@lazyscribe/core";
import "./index.js";

/**
 * Compile-time checks of the option types this package declares (run by
 * `tsc` in `typecheck`; never called). Each `@ts-expect-error` fails the
 * type check if the options were loose again (an index signature) or the
 * augmentation of `@lazyscribe/core` stopped reaching `Repository`.
 */
function optionTypes(repo: Repository): void {
  repo.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4, sortKeys: true });
  repo.logArtifact("features", [0, 1, 2], { indent: 2, fname: "features.json" });
  repo.logArtifact("config", { lr: 0.1 }, { handler: "yaml", indent: 4, sortMapEntries: true });
  repo.logArtifact("weights", new Uint8Array(1), { handler: "bytes", createdAt: "2025-01-01T00:00:00" });
  const dynamicAlias: string = "json";
  repo.logArtifact("features", [0, 1, 2], { handler: dynamicAlias, indent: 4 });
  // @ts-expect-error -- misspelt `handler`
  repo.logArtifact("features", [0, 1, 2], { handlr: "json" });
  // @ts-expect-error -- misspelt `indent` (default handlers)
  repo.logArtifact("features", [0, 1, 2], { indnt: 2 });
  // @ts-expect-error -- misspelt `indent` (json)
  repo.logArtifact("features", [0, 1, 2], { handler: "json", indnt: 2 });
  // @ts-expect-error -- text takes no writer options
  repo.logArtifact("notes", "hi", { handler: "text", indent: 2 });
  // @ts-expect-error -- no handler has this alias
  repo.logArtifact("features", [0, 1, 2], { handler: "nope" });
  void repo.loadArtifact("features", { version: 0, match: "exact", verify: false, validate: false });
  void repo.loadArtifact("weights", { stream: true });
  void repo.loadArtifact("config", { intAsBigInt: true });
  // @ts-expect-error -- misspelt `match`
  void repo.loadArtifact("features", { mtch: "asof" });
  // @ts-expect-error -- misspelt `stream`
  void repo.loadArtifact("weights", { strem: true });
  const load: LoadOptions = { version: "2025-01-01T00:00:00", match: "asof" };
  void load;
}

describe("handler option types", () => {
  it("are checked by tsc (typecheck); this only keeps the file a test", () => {
    expect(typeof optionTypes).toBe("function");
  });
});
