import { MemoryStorage } from "@lazyscribe/core/internal";
import { describe, expect, it } from "vitest";
import { mergeEntries } from "./mergeEntries.js";
import { Project } from "./Project.js";
import { canonicalJson } from "./projectFile.js";
import { code, fakeClock, openMem, storageText } from "./test-support/helpers.js";

describe("Project.merge", () => {
  it("unions by slug, newest lastUpdated wins, sorted by creation time; returns a new project", async () => {
    const storage = new MemoryStorage();
    const clock = fakeClock("2025-03-01T00:00:00");
    const base = await openMem(storage, { mode: "w", now: clock.now });
    await base.log("a", (e) => e.logMetric("v", 1));
    clock.set("2025-03-03T00:00:00");
    await base.log("c", () => undefined);
    await base.save();

    // Someone else edited "a" later and logged "b" in between.
    const theirsClock = fakeClock("2025-03-05T00:00:00");
    const theirs = await openMem(new MemoryStorage(), { mode: "w+", now: theirsClock.now, author: "bob" });
    const mine = await openMem(storage, { mode: "w+", now: theirsClock.now });
    const copy = await Project.open("project.json", { storage, mode: "w+", now: theirsClock.now, author: "bob" });
    copy.get("a").logMetric("v", 2);
    theirs.append(copy.get("a"));
    const bClock = fakeClock("2025-03-02T00:00:00");
    const other = await openMem(new MemoryStorage(), { mode: "w", now: bClock.now, author: "carol" });
    await other.log("b", () => undefined);

    const merged = mine.merge(theirs, other);
    expect(merged).not.toBe(mine);
    expect(merged.experiments.map((e) => e.slug)).toEqual(["a-20250301000000", "b-20250302000000", "c-20250303000000"]);
    expect(merged.get("a").metrics).toEqual({ v: 2 });
    expect(mine.experiments.map((e) => e.name)).toEqual(["a", "c"]);
    expect([merged.location, merged.mode, merged.author]).toEqual([mine.location, mine.mode, mine.author]);

    await merged.save();
    const r = await openMem(storage, { mode: "r" });
    expect(r.experiments.map((e) => e.slug)).toEqual(["a-20250301000000", "c-20250303000000", "b-20250302000000"]);
    expect(r.get("a").metrics).toEqual({ v: 2 });
    expect(r.get("a").lastUpdatedBy).toBe("bob");
    const text = await storageText(storage, "project.json");
    expect(text.match(/"slug": "a-20250301000000"/g)).toHaveLength(1);
  });

  it("keeps this project's experiment when lastUpdated ties", async () => {
    const one = await openMem(new MemoryStorage(), { mode: "w" });
    const two = await openMem(new MemoryStorage(), { mode: "w" });
    await one.log("x", (e) => e.logMetric("from", 1));
    await two.log("x", (e) => e.logMetric("from", 2));
    expect(one.merge(two).get("x").metrics).toEqual({ from: 1 });
    expect(two.merge(one).get("x").metrics).toEqual({ from: 2 });
  });

  it("a merged read-only project cannot be saved", async () => {
    const storage = new MemoryStorage();
    const r = await openMem(storage, { mode: "r" });
    const merged = r.merge(await openMem(new MemoryStorage(), { mode: "w" }));
    expect(() => merged.save()).toThrow(code("READ_ONLY"));
    expect(() => r.merge({} as Project)).toThrow(/takes Projects/);
  });
});

describe("experiments adopted from another folder or backend", () => {
  it("bring their artifact and test-artifact files along on save, so they load after reopening", async () => {
    const home = new MemoryStorage();
    const away = new MemoryStorage();
    const clock = fakeClock("2025-03-01T00:00:00");
    const other = await Project.open("elsewhere/project.json", { storage: away, mode: "w", now: clock.now, author: "bob" });
    await other.log("remote run", async (e) => {
      e.logArtifact("features", [1, 2, 3], { handler: "json" });
      await e.logTest("slice", (t) => {
        t.logArtifact("detail", "text", { handler: "text" });
      });
    });
    await other.save();
    const mine = await openMem(home, { mode: "w", now: clock.now });
    await mine.log("local run", () => undefined);
    await mine.save();

    const merged = (await openMem(home, { mode: "w+", now: clock.now })).merge(other);
    await merged.save();
    const r = await openMem(home, { mode: "r" });
    const remote = r.get("remote-run");
    expect(await remote.loadArtifact("features")).toEqual([1, 2, 3]);
    expect(await remote.tests[0]!.loadArtifact("detail")).toBe("text");
    expect((await home.list("remote-run-20250301000000/")).sort()).toEqual([
      "remote-run-20250301000000/features-20250301000000.json",
      "remote-run-20250301000000/slice/detail-20250301000000.txt",
    ]);
    // The source project is untouched.
    expect((await away.list("")).length).toBe(3);
  });
});

describe("mergeEntries", () => {
  const e = (slug: string, v: number) => ({ slug, v });
  it("keeps others' entries in place, replaces own edited ones by slug, appends new ones", () => {
    const disk = [e("a", 1), e("b", 1), e("c", 1)];
    expect(
      mergeEntries(disk, [
        { slug: "b", json: e("b", 2), intent: "replace" },
        { slug: "a", json: e("a", 9), intent: "append" },
        { slug: "z", json: e("z", 1), intent: "replace" },
      ]),
    ).toEqual([e("a", 1), e("b", 2), e("c", 1), e("a", 9), e("z", 1)]);
  });

  it("replaces the same-slug entry matching the baseline", () => {
    const disk = [e("a", 1), e("a", 2)];
    expect(mergeEntries(disk, [{ slug: "a", json: e("a", 3), intent: "replace", baseline: canonicalJson(e("a", 2)) }])).toEqual([
      e("a", 1),
      e("a", 3),
    ]);
  });
});
