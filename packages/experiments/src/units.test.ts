import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { MemoryStorage, isAbsoluteLocation, joinLocation } from "@lazyscribe/core/internal";
import { describe, expect, it } from "vitest";
import { defaultAuthor } from "./defaultAuthor.js";
import { dirnameOf, joinKeyRelative, normalizeSegments, relativeTo } from "./locationPath.js";
import { parseProjectFile, serializeProjectFile, sortKeysDeep } from "./projectFile.js";
import { StartOrderedList } from "./StartOrderedList.js";
import { openMem, storageText } from "./test-support/helpers.js";

describe("locationPath", () => {
  it("does / path arithmetic on locations and keys", () => {
    expect(dirnameOf("project.json")).toBe("");
    expect(dirnameOf("a/b/project.json")).toBe("a/b");
    expect(dirnameOf("/project.json")).toBe("/");
    expect(dirnameOf("/tmp/x/project.json")).toBe("/tmp/x");
    expect(dirnameOf("memory://project.json")).toBe("memory://");
    expect(dirnameOf("memory://a/project.json")).toBe("memory://a");
    expect(dirnameOf("file:///tmp/project.json")).toBe("file:///tmp");
    expect(joinLocation("", "up.json")).toBe("up.json");
    expect(joinLocation("/tmp/x", "../y/up.json")).toBe("/tmp/y/up.json");
    expect(joinLocation("memory://", "up.json")).toBe("memory://up.json");
    expect(joinLocation("a", "../../up.json")).toBe("../up.json");
    expect(normalizeSegments("/../a")).toBe("/a");
    expect(normalizeSegments("a/./b/../c")).toBe("a/c");
    expect(joinKeyRelative("team", "../shared/up.json")).toBe("shared/up.json");
    expect(joinKeyRelative("", "../up.json")).toBeNull();
    expect(joinKeyRelative("a", "/abs.json")).toBeNull();
    expect(relativeTo("team", "upstream.json")).toBe("../upstream.json");
    expect(relativeTo("", "a/b.json")).toBe("a/b.json");
    expect(relativeTo("/tmp/x", "/tmp/y/p.json")).toBe("../y/p.json");
    expect(isAbsoluteLocation("C:\\x\\p.json")).toBe(true);
    expect(isAbsoluteLocation("s3://b/p.json")).toBe(true);
    expect(isAbsoluteLocation("p.json")).toBe(false);
  });
});

describe("StartOrderedList", () => {
  it("orders by reservation, drops cancelled slots", () => {
    const l = new StartOrderedList<string>(["x"]);
    const a = l.reserve();
    const b = l.reserve();
    const c = l.reserve();
    l.fill(c, "c");
    l.cancel(b);
    expect(l.values()).toEqual(["x", "c"]);
    l.fill(a, "a");
    l.push("d");
    expect(l.values()).toEqual(["x", "a", "c", "d"]);
    const p = l.reserve();
    l.reset(["y"]);
    l.fill(p, "p");
    expect(l.values()).toEqual(["y", "p"]);
  });
});

describe("project.json codec", () => {
  it("writes sorted keys, 4-space indent, ASCII, Python's non-finite tokens, no final newline", () => {
    const text = serializeProjectFile([{ b: 1, a: { z: NaN, y: Infinity, x: -Infinity }, "é": "ü🚀" }]);
    expect(text).toBe(
      '[\n    {\n        "a": {\n            "x": -Infinity,\n            "y": Infinity,\n            "z": NaN\n        },\n        "b": 1,\n        "\\u00e9": "\\u00fc\\ud83d\\ude80"\n    }\n]',
    );
    expect(serializeProjectFile([])).toBe("[]");
  });

  it("reads older Python files with missing keys, and keeps unknown keys", async () => {
    const storage = new MemoryStorage();
    await storage.write(
      "project.json",
      '[{"name": "Old run", "author": "x", "created_at": "2022-01-01T09:30:00.123456", "metrics": {"m": Infinity}, "future_key": {"k": 1},' +
        ' "tests": [{"name": "t", "metrics": {}, "extra": true}]}]',
    );
    const { entries } = parseProjectFile("project.json", await storage.read("project.json"));
    expect(entries[0]).toMatchObject({ name: "Old run", lastUpdatedBy: "x", createdSeconds: Date.UTC(2022, 0, 1, 9, 30) / 1000, tags: [], dependencies: [] });
    const p = await openMem(storage, { mode: "w+" });
    const e = p.get("old-run");
    expect(e.slug).toBe("old-run-20220101093000");
    expect(e.metrics.m).toBe(Infinity);
    expect(e.tests[0]!.description).toBeNull();
    e.tag("x");
    await p.save();
    const saved = JSON.parse((await storageText(storage, "project.json")).replace("Infinity", "null"));
    expect(saved).toHaveLength(1);
    expect(saved[0].future_key).toEqual({ k: 1 });
    expect(saved[0].tests[0].extra).toBe(true);
    expect(saved[0].created_at).toBe("2022-01-01T09:30:00");
    expect(saved[0].short_slug).toBe("old-run");
  });

  it("sortKeysDeep sorts plain objects only", () => {
    const d = new Date(0);
    expect(JSON.stringify(sortKeysDeep({ b: [{ d: 1, c: 2 }], a: d }))).toBe(JSON.stringify({ a: d, b: [{ c: 2, d: 1 }] }));
  });
});

describe("package hygiene", () => {
  it("defaultAuthor() is never empty", () => {
    expect(defaultAuthor()).toMatch(/.+/);
  });

  it("imports no node: module in its sources except node:os in defaultAuthor.ts", () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) return f === "test-support" ? [] : sources(p);
        return p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
      });
    const offenders = sources(__dirname).flatMap((f) => {
      const text = readFileSync(f, "utf8");
      const mods = [...text.matchAll(/(?:from\s+|import\(|require\()["'](node:[^"']+|fs|path|os|crypto|child_process)["']/g)].map((m) => m[1]);
      return mods.filter((m) => !(m === "node:os" && f.endsWith("defaultAuthor.ts"))).map((m) => `${f}: ${m}`);
    });
    expect(offenders).toEqual([]);
  });
});
