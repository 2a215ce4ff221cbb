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

  it("years 0000-0099 are those years, not 1900-1999", () => {
    expect(formatEpochSeconds(parseEpochSeconds("0050-06-01T00:00:00")!)).toBe("0050-06-01T00:00:00");
    expect(formatEpochSeconds(parseEpochSeconds("0001-01-01T00:00:00")!)).toBe("0001-01-01T00:00:00");
    expect(formatEpochSeconds(parseEpochSeconds("0099-12-31T23:59:59Z")!)).toBe("0099-12-31T23:59:59");
    expect(formatEpochSeconds(parseEpochSeconds("0004-02-29T12:00:00")!)).toBe("0004-02-29T12:00:00");
    expect(parseEpochSeconds("0001-01-01T00:00:00")).toBe(-62135596800);
    expect(toEpochSeconds("0050-06-01T00:00:00")).toBe(-60576249600); // Python: datetime(50, 6, 1) - datetime(1970, 1, 1)
  });
  it("format and parse round-trip over Python's whole datetime range (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -62135596800, max: 253402300799 }), (s) => {
        expect(parseEpochSeconds(formatEpochSeconds(s))).toBe(s);
      }),
    );
  });
  it("times Python's datetime cannot hold (outside years 1..9999) are refused", () => {
    for (const bad of ["0000-06-01T00:00:00", "0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"]) {
      expect(() => toEpochSeconds(bad, "expiry"), bad).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
    }
    for (const bad of [new Date("+010000-01-01T00:00:00Z"), new Date("0000-01-01T00:00:00Z"), new Date(-8.64e15)]) {
      expect(() => toEpochSeconds(bad), String(bad.getTime())).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
    }
    expect(toEpochSeconds("9999-12-31T23:59:59")).toBe(253402300799);
    expect(toEpochSeconds(new Date("0001-01-01T00:00:00Z"))).toBe(-62135596800);
  });
});

describe("times as Python's datetime.fromisoformat takes them from users", () => {
  it("a space instead of T, and minutes without seconds", () => {
    const t = Date.UTC(2025, 0, 1, 10, 0, 0) / 1000;
    expect(toEpochSeconds("2025-01-01 10:00")).toBe(t);
    expect(toEpochSeconds("2025-01-01 10:00:00")).toBe(t);
    expect(toEpochSeconds("2025-01-01T10:00")).toBe(t);
    expect(toEpochSeconds("2025-01-01 12:00+02:00")).toBe(t);
    expect(toEpochSeconds("2025-01-01 10:00:00.5Z")).toBe(t);
  });

  it("manifests keep their strict format; other shapes stay invalid", () => {
    expect(parseEpochSeconds("2025-01-01 10:00:00")).toBeNull();
    for (const bad of ["2025-01-01 10", "2025-01-01  10:00", "2025-01-01 10:00 ", "2025-01-01X10:00"]) {
      expect(() => toEpochSeconds(bad.replace(/ $/, " x")), bad).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
    }
  });
});
