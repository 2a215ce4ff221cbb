import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatEpochSeconds, parseEpochSeconds, toEpochSeconds } from "./time.js";

describe("time parsing", () => {
  it("reads the on-disk format as UTC", () => {
    expect(parseEpochSeconds("2025-01-05T08:30:00")).toBe(Date.UTC(2025, 0, 5, 8, 30) / 1000);
  });
  it("accepts Z, offsets and fractions, converting to UTC", () => {
    expect(parseEpochSeconds("2025-01-05T08:30:00Z")).toBe(Date.UTC(2025, 0, 5, 8, 30) / 1000);
    expect(parseEpochSeconds("2025-01-05T10:30:00+02:00")).toBe(Date.UTC(2025, 0, 5, 8, 30) / 1000);
    expect(parseEpochSeconds("2025-01-05T03:30:00-0500")).toBe(Date.UTC(2025, 0, 5, 8, 30) / 1000);
    expect(parseEpochSeconds("2025-01-05T08:30:00.999")).toBe(Date.UTC(2025, 0, 5, 8, 30) / 1000);
  });
  it("rejects everything else", () => {
    for (const bad of ["yesterday", "2025-01-05", "2025-02-30T00:00:00", "2025-13-01T00:00:00", "2025-01-05T24:00:00", "", " 2025-01-05T08:30:00x"]) {
      expect(parseEpochSeconds(bad), bad).toBeNull();
    }
    expect(() => toEpochSeconds("nope")).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
    expect(() => toEpochSeconds(new Date(NaN))).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
  });
  it("format and parse round-trip (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799 }), (s) => {
        expect(parseEpochSeconds(formatEpochSeconds(s))).toBe(s);
      }),
    );
  });
  it("Dates compare at second precision", () => {
    expect(toEpochSeconds(new Date("2025-01-05T08:30:00.750Z"))).toBe(Date.UTC(2025, 0, 5, 8, 30) / 1000);
  });
});
