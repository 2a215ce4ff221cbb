// Compatibility with what Python lazyscribe 2.2.1 wrote (fixtures copied to a temp dir).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Repository } from "@lazyscribe/core/internal";
import { describe, expect, it } from "vitest";
import { createRelease, dumps, findRelease, load, loads } from "./index.js";
import { copyFixtureRepository, FIXTURE_REPOSITORY } from "./test/fixtures.js";

const PYTHON_RELEASES = {
  "v0.1.0": { createdAt: "2025-01-20T00:00:00", artifacts: [["config", 0], ["features", 1]] },
  "v0.2.0": { createdAt: "2025-02-10T00:00:00", artifacts: [["config", 1], ["estimator", 0], ["features", 2]] },
  "v0.3.0": { createdAt: "2025-02-20T00:00:00", artifacts: [["config", 1], ["estimator", 0], ["features", 1]] },
} as const;

describe("Python lazyscribe 2.2.1 releases.json", () => {
  it("loads into 3 releases", async () => {
    const dir = await copyFixtureRepository();
    const releases = await load(path.join(dir, "releases.json"));
    expect(releases.map((r) => r.tag)).toEqual(["v0.1.0", "v0.2.0", "v0.3.0"]);
    for (const r of releases) {
      const expected = PYTHON_RELEASES[r.tag as keyof typeof PYTHON_RELEASES];
      expect(r.createdAt.toISOString()).toBe(`${expected.createdAt}.000Z`);
      expect(r.artifacts).toEqual(expected.artifacts);
    }
  });

  it("dumps() reproduces the file byte for byte (no trailing newline, as Python writes it)", async () => {
    const original = await readFile(path.join(FIXTURE_REPOSITORY, "releases.json"), "utf8");
    expect(original.endsWith("]")).toBe(true);
    expect(dumps(loads(original))).toBe(original);
  });

  it("findRelease: by tag, exact time, asof time, latest", async () => {
    const releases = await load(path.join(await copyFixtureRepository(), "releases.json"));
    expect(findRelease(releases, "v0.2.0").createdAt).toEqual(new Date("2025-02-10T00:00:00Z"));
    expect(findRelease(releases, "2025-02-10T00:00:00").tag).toBe("v0.2.0");
    expect(findRelease(releases, new Date("2025-02-20T00:00:00Z")).tag).toBe("v0.3.0");
    expect(findRelease(releases, "2025-02-15T00:00:00", { match: "asof" }).tag).toBe("v0.2.0");
    expect(findRelease(releases, new Date("2025-02-15T00:00:00Z"), { match: "asof" }).tag).toBe("v0.2.0");
    expect(findRelease(releases, "2025-01-20T00:00:00", { match: "asof" }).tag).toBe("v0.1.0");
    expect(findRelease(releases, "2030-01-01T00:00:00", { match: "asof" }).tag).toBe("v0.3.0");
    expect(findRelease(releases).tag).toBe("v0.3.0");
  });

  it("findRelease: asof before the first release → VersionNotFoundError; asof with a tag → InvalidVersionError", async () => {
    const releases = await load(path.join(await copyFixtureRepository(), "releases.json"));
    expect(() => findRelease(releases, "2025-01-19T23:59:59", { match: "asof" })).toThrow(
      expect.objectContaining({ code: "VERSION_NOT_FOUND", name: "VersionNotFoundError" }),
    );
    expect(() => findRelease(releases, "v0.1.0", { match: "asof" })).toThrow(
      expect.objectContaining({ code: "INVALID_VERSION", name: "InvalidVersionError" }),
    );
    expect(() => findRelease(releases, "2025-02-15T00:00:00")).toThrow(expect.objectContaining({ code: "VERSION_NOT_FOUND" }));
    expect(() => findRelease(releases, "v9.9.9")).toThrow(expect.objectContaining({ code: "VERSION_NOT_FOUND" }));
  });

  it("createRelease on the repository as of each release time reproduces Python's artifact lists", async () => {
    const dir = await copyFixtureRepository();
    const releases = await load(path.join(dir, "releases.json"));
    for (const release of releases) {
      const repo = await Repository.open(path.join(dir, "repository.json"), { mode: "r", now: () => release.createdAt });
      const asOf = repo.filter(release.createdAt);
      const again = createRelease(asOf, release.tag, { now: release.createdAt });
      expect(again.artifacts, release.tag).toEqual(release.artifacts);
      expect(again.createdAt).toEqual(release.createdAt);
      expect(dumps([again])).toBe(dumps([release]));
      // The repository's own clock gives the same answer.
      expect(createRelease(asOf, release.tag).artifacts).toEqual(release.artifacts);
    }
    // v0.3.0 pins features version 1: version 2 expired on 2025-02-15.
    expect(findRelease(releases, "v0.3.0").artifacts).toContainEqual(["features", 1]);
  });

  it("createRelease considers every version valid at now, as Python does (not only those created before now)", async () => {
    const dir = await copyFixtureRepository();
    const repo = await Repository.open(path.join(dir, "repository.json"), { mode: "r" });
    // At 2025-01-20 features v2 (created 2025-02-01, expiring 2025-02-15) is not expired yet.
    expect(createRelease(repo, "x", { now: "2025-01-20T00:00:00" }).artifacts).toEqual([
      ["config", 1],
      ["estimator", 0],
      ["features", 2],
    ]);
  });

  it("Repository.filter(release.artifacts) is exactly the release's set", async () => {
    const dir = await copyFixtureRepository();
    const repo = await Repository.open(path.join(dir, "repository.json"), { mode: "r" });
    const releases = await load(path.join(dir, "releases.json"));
    for (const release of releases) {
      const view = repo.filter(release.artifacts);
      const pairs = view.artifacts.map((r) => [r.name, r.version]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      expect(pairs).toEqual(release.artifacts);
      expect(view.mode).toBe("r");
    }
    const v3 = repo.filter(findRelease(releases, "v0.3.0").artifacts);
    expect(await v3.loadArtifact("features")).toEqual([0, 1, 2, 3]);
    expect(v3.getArtifactMetadata("estimator").handler).toBe("pickle");
  });
});
