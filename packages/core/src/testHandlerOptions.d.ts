/**
 * The handler aliases core's own tests log with, declared as a handler
 * package would (core has no handlers; `@lazyscribe/handlers` declares the
 * real ones). Type-only and outside the build's entries, so it never reaches
 * users of `@lazyscribe/core`.
 */
export {};

declare module "./options/handlerOptions.js" {
  interface HandlerWriteOptionsMap {
    json: { indent?: number | string | null; sortKeys?: boolean; ensureAscii?: boolean; separators?: readonly [string, string] };
    text: object;
    bytes: object;
    numbers: object;
    report: object;
    strict: object;
  }
  interface HandlerReadOptionsMap {
    json: object;
    text: object;
    bytes: { stream?: boolean };
  }
}
