import { describe, expect, it } from "vitest";
import { dirnameLocation, isAbsoluteLocation, joinLocation, normalizeLocation } from "./locations.js";

describe("location paths", () => {
  it.each([
    ["a/b/../c/./d.json", "a/c/d.json"],
    ["./a//b/", "a/b"],
    ["../a/../../b", "../../b"],
    ["/a/../../b", "/b"],
    ["/", "/"],
    [".", "."],
    ["", "."],
    ["memory://proj/./a/../b.json", "memory://proj/b.json"],
    ["file:///srv/x/../y.json", "file:///srv/y.json"],
    ["C:\\proj\\a\\..\\b.json", "C:/proj/b.json"],
  ])("normalize %j → %j", (input, expected) => {
    expect(normalizeLocation(input)).toBe(expected);
  });

  it.each([
    [".", "src/model-1/repository.json", "src/model-1/repository.json"],
    ["/work/proj", "src/repository.json", "/work/proj/src/repository.json"],
    ["/work/proj/", "./src/../repository.json", "/work/proj/repository.json"],
    ["/work/proj", "/abs/repository.json", "/abs/repository.json"],
    ["memory://proj", "src/repository.json", "memory://proj/src/repository.json"],
    ["memory://proj", "memory://other/repository.json", "memory://other/repository.json"],
    ["file:///work/proj", "a/repository.json", "file:///work/proj/a/repository.json"],
    ["C:\\work\\proj", "a/repository.json", "C:/work/proj/a/repository.json"],
    ["deploy/", "repository.json", "deploy/repository.json"],
  ])("join %j + %j → %j", (base, rel, expected) => {
    expect(joinLocation(base, rel)).toBe(expected);
  });

  it("dirname and absoluteness", () => {
    expect(dirnameLocation("src/model-1/repository.json")).toBe("src/model-1");
    expect(dirnameLocation("repository.json")).toBe(".");
    expect(dirnameLocation("/repository.json")).toBe("/");
    expect(dirnameLocation("memory://repository.json")).toBe("memory://");
    expect(dirnameLocation("C:/repository.json")).toBe("C:/");
    expect(isAbsoluteLocation("/a")).toBe(true);
    expect(isAbsoluteLocation("memory://a")).toBe(true);
    expect(isAbsoluteLocation("a/b")).toBe(false);
    expect(isAbsoluteLocation("\\\\server\\share\\p.json")).toBe(true);
  });
});
