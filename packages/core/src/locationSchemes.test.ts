import { describe, expect, it } from "vitest";
import { resolveLocation } from "./defaults.js";
import { MissingPackageError } from "./errors.js";
import { locationScheme, registerLocationScheme, splitBucketLocation } from "./locations.js";
import { MemoryStorage } from "./storage/MemoryStorage.js";

describe("location scheme registry", () => {
  it("memory:// is an ordinary registered scheme", async () => {
    const a = resolveLocation("memory://schemes-test/repository.json");
    expect(a.key).toBe("schemes-test/repository.json");
    await a.storage.write(a.key, "[]");
    expect(resolveLocation("memory://schemes-test/repository.json").storage).toBe(a.storage);
  });

  it("a registered scheme resolves its locations", () => {
    const storage = new MemoryStorage("custom://");
    registerLocationScheme("custom", (location) => ({ storage, key: location.slice("custom://".length) }));
    expect(resolveLocation("custom://x/repository.json")).toEqual({ storage, key: "x/repository.json" });
    expect(resolveLocation("CUSTOM://y.json").key).toBe("y.json");
  });

  it("an unregistered s3:// names the package to install", () => {
    const err = (() => {
      try {
        resolveLocation("s3://bucket/repository.json");
      } catch (e) {
        return e as MissingPackageError;
      }
      throw new Error("resolveLocation did not throw");
    })();
    expect(err).toBeInstanceOf(MissingPackageError);
    expect(err.code).toBe("MISSING_PACKAGE");
    expect(err.packageName).toBe("@lazyscribe/storage-s3");
    expect(err.message).toMatch(/@lazyscribe\/storage-s3.*npm install @lazyscribe\/storage-s3/);
  });

  it("an unknown scheme says how to register one", () => {
    expect(() => resolveLocation("nope://bucket/repository.json")).toThrow(/registerLocationScheme\("nope"/);
  });

  it("rejects invalid scheme names", () => {
    expect(() => registerLocationScheme("3d", () => ({ storage: new MemoryStorage(), key: "k" }))).toThrow(TypeError);
  });

  it.each([
    ["s3://ml/models/repository.json", { scheme: "s3", bucket: "ml", folder: "models", file: "repository.json" }],
    ["s3://ml/repository.json", { scheme: "s3", bucket: "ml", folder: "", file: "repository.json" }],
    ["S3://ml/a/b/c/project.json", { scheme: "s3", bucket: "ml", folder: "a/b/c", file: "project.json" }],
    ["s3://ml", { scheme: "s3", bucket: "ml", folder: "", file: "" }],
  ])("splitBucketLocation(%j)", (location, expected) => {
    expect(splitBucketLocation(location)).toEqual(expected);
  });

  it("locationScheme", () => {
    expect(locationScheme("s3://b/k")).toBe("s3");
    expect(locationScheme("data/repository.json")).toBeUndefined();
    expect(locationScheme("C:\\x\\repository.json")).toBeUndefined();
  });
});
