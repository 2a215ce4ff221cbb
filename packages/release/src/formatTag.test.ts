import { describe, expect, it } from "vitest";
import { formatTag, tagFormatProblem } from "./formatTag.js";

const createdAt = new Date("2025-03-05T23:59:59Z");

describe("formatTag", () => {
  it.each([
    ["v{version}", "v1.0.0"],
    ["{version}", "1.0.0"],
    ["{year}.{month}.{day}", "2025.03.05"],
    ["release-{version}-{year}{month}{day}", "release-1.0.0-20250305"],
    ["{{literal}}-{version}", "{literal}-1.0.0"],
    ["plain", "plain"],
  ])("%j → %j", (format, expected) => {
    expect(formatTag(format, { version: "1.0.0", createdAt })).toBe(expected);
  });

  it.each([
    ["v{major}", /unknown placeholder \{major\}/],
    ["v{version", /unmatched "\{"/],
    ["v}", /unmatched "\}"/],
    ["v{}", /unknown placeholder \{\}/],
    ["v{version:02d}", /unknown placeholder/],
  ])("rejects %j", (format, message) => {
    expect(tagFormatProblem(format)).toMatch(message);
    expect(() => formatTag(format, { version: "1", createdAt })).toThrow(message);
  });
});
