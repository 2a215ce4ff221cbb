/** Unit tests of the small helpers (argument schemas, tables, colour, progress bar). */
import { describe, expect, it } from "vitest";
import { TimeArgSchema, VersionArgSchema, versionQuery } from "./args.js";
import { CliError, describeError, exitCodeFor, oneLine, UsageError } from "./errors.js";
import { colorEnabled, humanSize, isoTime, palette, table } from "./output.js";
import { ProgressBar, progressBar } from "./progress.js";

describe("argument schemas", () => {
  it("versions: digits → integer, times kept, anything else rejected", () => {
    expect(VersionArgSchema.parse("0")).toBe(0);
    expect(VersionArgSchema.parse("12")).toBe(12);
    expect(VersionArgSchema.parse("2025-01-05T08:30:00")).toBe("2025-01-05T08:30:00");
    expect(VersionArgSchema.parse("2025-01-05T08:30:00.123+02:00")).toBe("2025-01-05T08:30:00.123+02:00");
    expect(VersionArgSchema.parse("2025-01-05")).toBe("2025-01-05T00:00:00");
    for (const bad of ["", "-1", "1.5", "v1", "2025-02-30", "2025-01-05T25:00:00", "99999999999999999999"]) {
      expect(VersionArgSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("times", () => {
    expect(TimeArgSchema.parse(" 2025-02-10T00:00:00Z ")).toBe("2025-02-10T00:00:00Z");
    // A space for the T and no seconds, as Python's datetime.fromisoformat.
    expect(TimeArgSchema.parse("2025-02-10 00:00:00")).toBe("2025-02-10T00:00:00");
    expect(TimeArgSchema.parse("2025-01-01 10:00")).toBe("2025-01-01T10:00:00");
    expect(TimeArgSchema.parse("2025-01-01T10:00+02:00")).toBe("2025-01-01T10:00:00+02:00");
    expect(TimeArgSchema.safeParse("2025-01-01 10").success).toBe(false);
    expect(TimeArgSchema.safeParse("2024-02-29").success).toBe(true);
    expect(TimeArgSchema.safeParse("2025-02-29").success).toBe(false);
  });

  it("versionQuery", () => {
    expect(versionQuery(undefined, false)).toEqual({});
    expect(versionQuery(1, undefined)).toEqual({ version: 1, match: "exact" });
    expect(versionQuery("2025-01-01T00:00:00", true)).toEqual({ version: "2025-01-01T00:00:00", match: "asof" });
    expect(() => versionQuery(1, true)).toThrow(UsageError);
    expect(() => versionQuery(undefined, true)).toThrow(UsageError);
  });
});

describe("errors", () => {
  it("exit codes", () => {
    expect(exitCodeFor(new UsageError("x"))).toBe(2);
    expect(exitCodeFor(new CliError("x"))).toBe(1);
    expect(exitCodeFor(Object.assign(new Error("x"), { code: "INVALID_VERSION" }))).toBe(2);
    expect(exitCodeFor(Object.assign(new Error("x"), { code: "VERSION_NOT_FOUND" }))).toBe(1);
    expect(exitCodeFor("boom")).toBe(1);
  });

  it("messages are one line", () => {
    expect(oneLine("a\n  b\nc")).toBe("a b c");
    expect(describeError(Object.assign(new Error("ENOENT: x"), { code: "ENOENT", path: "/tmp/x" }))).toBe("/tmp/x: no such file or directory");
    expect(describeError(new Error("line one\nline two"))).toBe("line one line two");
  });
});

describe("output", () => {
  it("aligns columns, right-aligns numbers, ignores ANSI in widths", () => {
    const c = palette(true);
    const text = table([{ header: "NAME" }, { header: "N", align: "right" }], [[c.red("ab"), "1"], ["abcdef", "100"]], palette(false));
    expect(text).toBe("NAME      N\n\u001b[31mab\u001b[39m        1\nabcdef  100\n");
  });

  it("colour only on a TTY without NO_COLOR", () => {
    const saved = process.env.NO_COLOR;
    try {
      delete process.env.NO_COLOR;
      expect(colorEnabled({ isTTY: true })).toBe(true);
      expect(colorEnabled({ isTTY: false })).toBe(false);
      expect(colorEnabled({})).toBe(false);
      process.env.NO_COLOR = "1";
      expect(colorEnabled({ isTTY: true })).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
    expect(palette(false).red("x")).toBe("x");
    expect(palette(true).red("x")).toBe("\u001b[31mx\u001b[39m");
  });

  it("sizes and times", () => {
    expect(humanSize(undefined)).toBe("-");
    expect(humanSize(1023)).toBe("1023 B");
    expect(humanSize(1536)).toBe("1.5 KiB");
    expect(humanSize(9 * 1024 * 1024)).toBe("9.0 MiB");
    expect(isoTime(new Date("2025-01-05T08:30:00.500Z"))).toBe("2025-01-05T08:30:00Z");
    expect(isoTime(null)).toBeNull();
  });
});

describe("progress bar", () => {
  function fakeTty() {
    const writes: string[] = [];
    return { writes, stream: { isTTY: true, columns: 120, write: (s: string) => (writes.push(s), true) } };
  }

  it("is only created for a TTY", () => {
    expect(progressBar("x", 10, { isTTY: false, write: () => true })).toBeNull();
    expect(progressBar("x", 10, fakeTty().stream)).toBeInstanceOf(ProgressBar);
  });

  it("draws a bar with percentage and erases itself", () => {
    const { writes, stream } = fakeTty();
    const bar = new ProgressBar("copy", 1000, stream);
    bar.advance(500);
    expect(writes[0]!.startsWith(`\rcopy [${"#".repeat(12)}${"-".repeat(12)}]  50%  500 B / 1000 B  `)).toBe(true);
    expect(writes[0]!.endsWith("/s\u001b[K")).toBe(true);
    bar.finish();
    expect(writes.at(-1)).toBe("\r\u001b[K");
  });

  it("without a total, shows bytes only", () => {
    const { writes, stream } = fakeTty();
    const bar = new ProgressBar("log", null, stream);
    bar.advance(2048);
    expect(writes[0]).toMatch(/^\rlog 2\.0 KiB {2}/);
  });
});
