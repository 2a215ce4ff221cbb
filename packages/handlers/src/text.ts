import { ArtifactLogError, type ArtifactHandler, type ArtifactSource } from "@lazyscribe/core/internal";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Plain text, stored as UTF-8 (file suffix `txt`). Only strings are accepted;
 * a string with a lone UTF-16 surrogate (which UTF-8 cannot hold) is refused
 * rather than silently altered.
 *
 * @example
 * await repo.logArtifact("notes", "trained on 2025-01 data", { handler: "text" });
 * const notes = await repo.loadArtifact("notes"); // "trained on 2025-01 data"
 */
export const textHandler: ArtifactHandler<string> = Object.freeze({
  alias: "text",
  writeOptions: [],
  readOptions: [],
  suffix: "txt",
  binary: false,
  accepts(value: unknown): boolean {
    return typeof value === "string" && !LONE_SURROGATE.test(value);
  },
  write(value: string): string {
    if (typeof value !== "string") {
      throw new ArtifactLogError(
        `the text handler writes strings only, not ${value === null ? "null" : typeof value}; use the "json" handler for other values`,
      );
    }
    assertWellFormed(value, "text");
    return value;
  },
  async read(source: ArtifactSource): Promise<string> {
    return source.text();
  },
});

/** Throw `ArtifactLogError` when `text` has a lone surrogate (UTF-8 would replace it with U+FFFD). */
export function assertWellFormed(text: string, handler: string): void {
  const m = LONE_SURROGATE.exec(text);
  if (m) {
    throw new ArtifactLogError(
      `the ${handler} handler cannot write this string: it has a lone UTF-16 surrogate (\\u${m[0].charCodeAt(0).toString(16)}) at index ${m.index}, which UTF-8 cannot store`,
    );
  }
}
