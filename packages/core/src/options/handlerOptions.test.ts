/**
 * Compile-time checks of `LogOptions` / `LoadOptions` (run by `tsc` in
 * `typecheck`; the function is never called), with the aliases core's tests
 * declare in `src/testHandlerOptions.d.ts`. Each `@ts-expect-error` fails the
 * type check if an index signature came back.
 */
import { describe, expect, it } from "vitest";
import type { LoadOptions, LogOptions, Repository } from "../index.js";

function optionTypes(repo: Repository): void {
  repo.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 });
  repo.logArtifact("features", [0, 1, 2], { indent: 4, createdAt: "2025-01-01T00:00:00" });
  repo.logArtifact("notes", "hi", { handler: "text", fname: "notes.txt" });
  const alias: string = "json";
  repo.logArtifact("features", [0, 1, 2], { handler: alias, indent: 4 });
  // @ts-expect-error -- misspelt `handler`
  repo.logArtifact("features", [0, 1, 2], { handlr: "json" });
  // @ts-expect-error -- misspelt `indent`
  repo.logArtifact("features", [0, 1, 2], { indnt: 2 });
  // @ts-expect-error -- text takes no writer options
  repo.logArtifact("notes", "hi", { handler: "text", indent: 2 });
  // @ts-expect-error -- no declared handler has this alias
  repo.logArtifact("features", [0, 1, 2], { handler: "nope" });
  // @ts-expect-error -- a literal alias needs its own options type
  const wrong: LogOptions<"text"> = { handler: "text", indent: 2 };
  void wrong;
  void repo.loadArtifact("features", { version: 0, match: "exact" });
  void repo.loadArtifact("weights", { stream: true, verify: false });
  // @ts-expect-error -- misspelt `match`
  void repo.loadArtifact("features", { mtch: "asof" });
  // @ts-expect-error -- `LoadOptions` has no index signature
  const load: LoadOptions = { version: 0, mtch: "asof" };
  void load;
}

describe("option types", () => {
  it("are checked by tsc (typecheck); this only keeps the file a test", () => {
    expect(typeof optionTypes).toBe("function");
  });
});
