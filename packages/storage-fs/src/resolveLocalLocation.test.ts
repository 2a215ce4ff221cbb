import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { FsStorage, resolveLocalLocation } from "./index.js";
import { tempDir, text } from "./testHelpers.js";

describe("resolveLocalLocation", () => {
  it("resolves a relative path against the working directory", () => {
    const { storage, key } = resolveLocalLocation("data/repository.json");
    expect(storage).toBeInstanceOf(FsStorage);
    expect((storage as FsStorage).root).toBe(path.join(process.cwd(), "data"));
    expect(key).toBe("repository.json");
    expect(resolveLocalLocation("repository.json").storage.description).toBe(`file://${process.cwd()}`);
    expect((resolveLocalLocation("./a/../b/project.json").storage as FsStorage).root).toBe(path.join(process.cwd(), "b"));
  });

  it("keeps an absolute path", () => {
    const { storage, key } = resolveLocalLocation("/srv/models/repository.json");
    expect((storage as FsStorage).root).toBe(path.resolve("/srv/models"));
    expect(key).toBe("repository.json");
  });

  it("accepts file:// URLs, absolute and (like fsspec) relative, with percent-escapes", () => {
    const abs = resolveLocalLocation("file:///srv/my%20models/repository.json");
    expect((abs.storage as FsStorage).root).toBe(path.resolve("/srv/my models"));
    expect(abs.key).toBe("repository.json");
    expect((resolveLocalLocation("file://localhost/srv/x/r.json").storage as FsStorage).root).toBe(path.resolve("/srv/x"));
    const rel = resolveLocalLocation("file://data/repository.json");
    expect((rel.storage as FsStorage).root).toBe(path.join(process.cwd(), "data"));
    expect(rel.key).toBe("repository.json");
  });

  it("round-trips with pathToFileURL and reads and writes there", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const url = pathToFileURL(path.join(dir, "sub dir", "repository.json")).href;
      const { storage, key } = resolveLocalLocation(url);
      await storage.write(key, "[]");
      expect(text(await resolveLocalLocation(path.join(dir, "sub dir", "repository.json")).storage.read(key))).toBe("[]");
    } finally {
      await cleanup();
    }
  });

  it("rejects folders, empty input and other schemes with INVALID_NAME", () => {
    for (const bad of ["", "  ", "data/", "data/.", "data/..", "file:///srv/", "file:relative.json", "file://%E0%A4%A/x.json"]) {
      expect(() => resolveLocalLocation(bad), bad).toThrow(expect.objectContaining({ code: "INVALID_NAME" }));
    }
  });
});
