import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertValidFname, assertValidName } from "./names.js";

// What "stays inside the folder" means, checked independently of the implementation.
function staysInside(path: string): boolean {
  if (path.startsWith("/") || path.includes("\\") || /^[A-Za-z]:/.test(path)) return false;
  let depth = 0;
  for (const seg of path.split("/")) {
    if (seg === "..") depth--;
    else if (seg !== "." && seg !== "") depth++;
    if (depth < 0) return false;
  }
  return depth > 0;
}

const tricky = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.array(fc.constantFrom("a", "..", ".", "", "/", "\\", "\u0000", "\n", "C:", "é", " ", "x.json"), { maxLength: 6 }).map((p) => p.join("")),
  fc.array(fc.constantFrom("a", "..", ".", "b"), { maxLength: 5 }).map((p) => p.join("/")),
);

describe("names and file names (property)", () => {
  it("an accepted name is a relative path that stays inside the folder and has no control characters", () => {
    fc.assert(
      fc.property(tricky, (name) => {
        let ok = true;
        try {
          assertValidName(name);
        } catch (err) {
          expect((err as { code?: string }).code).toBe("INVALID_NAME");
          ok = false;
        }
        if (ok) {
          expect(staysInside(name)).toBe(true);
          expect(name.split("/")).not.toContain("..");
          // eslint-disable-next-line no-control-regex
          expect(name).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("an accepted file name is a safe relative path (subfolders allowed, as in Python)", () => {
    fc.assert(
      fc.property(tricky, (fname) => {
        try {
          assertValidFname(fname);
        } catch (err) {
          expect((err as { code?: string }).code).toBe("INVALID_NAME");
          return;
        }
        for (const segment of fname.split("/")) expect(["", ".", ".."]).not.toContain(segment);
        expect(fname).not.toContain("\\");
        expect(staysInside(fname)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts ordinary names", () => {
    for (const n of ["features", "model v2", "naïve-émbed", "a/b", "config_2025.json"]) expect(() => assertValidName(n)).not.toThrow();
  });
});
