import { describe, expect, it } from "vitest";
import { InvalidNameError } from "./errors.js";
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

  it.each([
    ["s3://b", "x/repository.json", "s3://b/x/repository.json"],
    ["s3://b/models/a", "../b/project.json", "s3://b/models/b/project.json"],
    ["s3://b/models", "../project.json", "s3://b/project.json"],
  ])("join %j + %j stays in the bucket → %j", (base, rel, expected) => {
    expect(joinLocation(base, rel)).toBe(expected);
  });

  it.each([
    ["s3://b", "../../x"],
    ["s3://b", "../x/repository.json"],
    ["s3://b/models", "../../other/repository.json"],
    ["S3://b/models/a", "../../../other/repository.json"],
  ])("join %j + %j refuses to climb out of the bucket", (base, rel) => {
    expect(() => joinLocation(base, rel)).toThrow(InvalidNameError);
    try {
      joinLocation(base, rel);
    } catch (err) {
      expect((err as InvalidNameError).code).toBe("INVALID_NAME");
      expect((err as Error).message).toContain(`${JSON.stringify(rel)} climbs out of s3://b`);
    }
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
