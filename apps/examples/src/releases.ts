import { join } from "node:path";
import { Repository, createRelease, dump, findRelease, load } from "lazyscribe";
import { clock, expectEqual, expectError, type Example } from "./story.js";

/** Guide: "Create associated groups of artifact-versions". */
export const releases: Example = {
  title: "Releases: pin a group of artifact versions and time-travel through deployments",
  async run(dir, say) {
    const location = join(dir, "repository.json");
    const releasesFile = join(dir, "releases.json");
    const c = clock("2025-01-01T00:00:00");
    const w = await Repository.open(location, { mode: "w", now: c.now });
    w.logArtifact("features", ["age", "income"], { handler: "json", indent: 4 });
    w.logArtifact("config", { lr: 0.1 }, { handler: "json" });
    await w.save();

    c.set("2025-01-20T00:00:00");
    const v010 = createRelease(await Repository.open(location, { mode: "r", now: c.now }), "v0.1.0");
    expectEqual(v010.artifacts, [["config", 0], ["features", 0]], "v0.1.0 artifacts");
    await dump([v010], releasesFile);
    say(`cut v0.1.0 on 2025-01-20 with ${JSON.stringify(v010.artifacts)} and dumped it to releases.json`);

    c.set("2025-02-01T00:00:00");
    const a = await Repository.open(location, { mode: "a", now: c.now });
    a.logArtifact("features", ["age", "income", "tenure"], { handler: "json", indent: 4 });
    await a.save();
    const v020 = createRelease(await Repository.open(location, { mode: "r", now: c.now }), "v0.2.0");
    await dump([...(await load(releasesFile)), v020], releasesFile);
    say(`logged features v1 and cut v0.2.0: ${JSON.stringify(v020.artifacts)}`);

    const all = await load(releasesFile);
    const complete = await Repository.open(location, { mode: "r", now: c.now });
    const myRelease = findRelease(all, "v0.1.0");
    const filtered = complete.filter(myRelease.artifacts);
    expectEqual(await filtered.loadArtifact("features"), ["age", "income"], "features as released in v0.1.0");
    expectEqual(filtered.names().length, 2, "one version per artifact");
    say("filtered the repository to v0.1.0: features loads as released then, [age, income]");

    expectEqual(findRelease(all, new Date("2025-01-25T00:00:00Z"), { match: "asof" }).tag, "v0.1.0", "asof release");
    expectEqual(findRelease(all).tag, "v0.2.0", "latest release");
    await expectError(() => findRelease(all, "v9.9.9"), "VERSION_NOT_FOUND", "unknown tag");
    say("find by asof 2025-01-25 → v0.1.0; latest → v0.2.0; unknown tag → VersionNotFoundError");
  },
};
