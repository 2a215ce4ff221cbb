import { join } from "node:path";
import { Repository } from "lazyscribe";
import { clock, expectEqual, type Example } from "./story.js";

/** Guide: "Using a repository as a standalone structure" and loading versions. */
export const standaloneRepository: Example = {
  title: "A standalone repository: log, save, and time-travel between versions",
  async run(dir, say) {
    const location = join(dir, "repository.json");
    const c = clock("2025-01-01T12:00:00");

    const repository = await Repository.open(location, { mode: "w", now: c.now });
    repository.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 });
    await repository.save();
    say(`logged features v0 = [0, 1, 2] and saved ${location}`);

    const readOnly = await Repository.open(location, { mode: "r", now: c.now });
    expectEqual(await readOnly.loadArtifact("features"), [0, 1, 2], "read-only load");
    say("reopened read-only: features loads as [0, 1, 2]");

    c.set("2025-01-05T08:30:00");
    const append = await Repository.open(location, { mode: "a", now: c.now });
    const v1 = append.logArtifact("features", [0, 1, 2, 3], { handler: "json", indent: 4 });
    await append.save();
    expectEqual(v1.version, 1, "second version number");
    say("append-only mode: logged features v1 = [0, 1, 2, 3] on 2025-01-05T08:30:00");

    const r = await Repository.open(location, { mode: "r", now: c.now });
    expectEqual(await r.loadArtifact("features"), [0, 1, 2, 3], "newest");
    expectEqual(await r.loadArtifact("features", { version: 0 }), [0, 1, 2], "integer version 0");
    expectEqual(await r.loadArtifact("features", { version: "2025-01-05T08:30:00" }), [0, 1, 2, 3], "exact time");
    expectEqual(
      await r.loadArtifact("features", { version: "2025-01-03T00:00:00", match: "asof" }),
      [0, 1, 2],
      "asof 2025-01-03",
    );
    say("newest → [0,1,2,3]; version 0 → [0,1,2]; exact 2025-01-05T08:30:00 → [0,1,2,3]; asof 2025-01-03 → [0,1,2]");
    expectEqual(r.versions("features").map((v) => v.fname), ["features-20250101120000.json", "features-20250105083000.json"], "file names");
  },
};
