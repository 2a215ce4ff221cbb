import { join } from "node:path";
import { Repository } from "lazyscribe";
import { clock, expectEqual, expectError, type Example } from "./story.js";

/** Guide: "Deprecate artifact versions". */
export const expiry: Example = {
  title: "Deprecating a version with an expiry",
  async run(dir, say) {
    const location = join(dir, "repository.json");
    const c = clock("2025-12-15T09:00:00");
    const repository = await Repository.open(location, { mode: "w", now: c.now });
    repository.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 });
    repository.setArtifactExpiry("features", 0, "2025-12-25T00:00:00");
    await repository.save();
    say("on 2025-12-15 logged features v0, expiring 2025-12-25");

    c.set("2026-01-01T00:00:00");
    const r = await Repository.open(location, { mode: "r", now: c.now });
    expectEqual(await r.loadArtifact("features", { version: "2025-12-20T00:00:00", match: "asof" }), [0, 1, 2], "asof before expiry");
    say("on 2026-01-01, asof 2025-12-20 still loads v0 (it was valid then)");
    const message = await expectError(() => r.loadArtifact("features"), "VERSION_NOT_FOUND", "default load after expiry");
    say(`the default load now fails: ${message}`);
    expectEqual(await r.loadArtifact("features", { version: 0 }), [0, 1, 2], "exact ignores expiry");
    say("an exact version ignores expiry: version 0 still loads");
  },
};
