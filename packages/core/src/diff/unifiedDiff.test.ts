import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pythonSplitLines, pythonVersionDiff, unifiedDiff } from "./unifiedDiff.js";

// Written by CPython 3.11's difflib (see make-golden.py beside this file).
const golden = JSON.parse(readFileSync(join(__dirname, "difflib-golden.json"), "utf8")) as Array<{ a: string; b: string; diff: string }>;

describe("unified diff as Python's difflib writes it", () => {
  it.each(golden.map((c, i) => [i, c] as const))("golden case %i", (_i, c) => {
    expect(pythonVersionDiff(c.a, c.b)).toBe(c.diff);
  });

  it("headers, hunk ranges and the lineterm of difflib.unified_diff", () => {
    expect([...unifiedDiff(["a"], ["b"])]).toEqual(["--- \n", "+++ \n", "@@ -1 +1 @@\n", "-a", "+b"]);
    expect([...unifiedDiff([], ["x"], { fromfile: "f", tofile: "t", lineterm: "" })]).toEqual(["--- f", "+++ t", "@@ -0,0 +1 @@", "+x"]);
    expect([...unifiedDiff(["same"], ["same"])]).toEqual([]);
  });

  it("splits lines as Python's text mode and str.splitlines do", () => {
    expect(pythonSplitLines("a\r\nb\rc\nd")).toEqual(["a", "b", "c", "d"]);
    expect(pythonSplitLines("a\n\n")).toEqual(["a", ""]);
    expect(pythonSplitLines("")).toEqual([]);
  });
});
