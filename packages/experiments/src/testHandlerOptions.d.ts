/**
 * The handler aliases only this package's tests register (`report`,
 * `failing`), declared as a handler package would, so the tests log with
 * them without casts. Type-only and outside the build's entry.
 */
export {};

declare module "@lazyscribe/core" {
  interface HandlerWriteOptionsMap {
    report: object;
    failing: object;
  }
}
