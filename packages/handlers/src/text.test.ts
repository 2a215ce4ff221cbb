import { describe, expect, it } from "vitest";
import { textHandler } from "./text.js";
import { roundTrip, errorOf } from "./testSource.js";

describe("text handler", () => {
  it("has alias, suffix and is text", () => {
    expect([textHandler.alias, textHandler.suffix, textHandler.binary]).toEqual(["text", "txt", false]);
  });

  it("round-trips UTF-8 text exactly", async () => {
    const s = "héllo\nwörld 🚀\r\n\ttabs\u0000nul";
    const { value, bytes } = await roundTrip(textHandler, s);
    expect(value).toBe(s);
    expect(bytes).toEqual(new TextEncoder().encode(s));
  });

  it("round-trips the empty string", async () => {
    expect((await roundTrip(textHandler, "")).value).toBe("");
  });

  it("refuses non-strings with ArtifactLogError", async () => {
    for (const v of [1, null, undefined, { a: 1 }, new Uint8Array(1)]) {
      const err = await errorOf(() => textHandler.write(v as never, {}));
      expect(err.code).toBe("ARTIFACT_LOG");
      expect(err.message).toMatch(/strings only/);
      expect(textHandler.accepts!(v)).toBe(false);
    }
    expect(textHandler.accepts!("x")).toBe(true);
  });

  it("refuses a lone surrogate instead of writing U+FFFD", async () => {
    const err = await errorOf(() => textHandler.write("a\ud800b", {}));
    expect(err.code).toBe("ARTIFACT_LOG");
    expect(err.message).toMatch(/surrogate/);
    expect(textHandler.accepts!("a\ud800b")).toBe(false);
    expect(textHandler.accepts!("a\ud83d\ude80b")).toBe(true);
  });
});
