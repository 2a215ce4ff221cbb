import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// @lazyscribe/core must run in browsers and edge functions.
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith(".ts") && !p.endsWith(".test.ts") && !p.endsWith("testSupport.ts") ? [p] : [];
  });
}

describe("@lazyscribe/core", () => {
  it("imports no node: modules in its sources", () => {
    const offenders = sources(join(__dirname)).filter((f) => /from\s+["']node:|require\(["']node:|import\(["']node:/.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
  it("imports no node: modules in its built bundle", () => {
    const dist = join(__dirname, "..", "dist", "index.js");
    const text = readFileSync(dist, "utf8");
    expect(text).not.toMatch(/from\s*["']node:|require\(["']node:/);
    expect(text).not.toMatch(/from\s*["'](fs|path|crypto|os)["']/);
  });
});
