/**
 * Handler options as types: which writer and reader options each handler
 * alias takes. Handler packages fill these maps by declaration merging, so
 * `logArtifact(..., { handler: "json", indnt: 2 })` is an excess-property
 * error at compile time (the run-time check is `assertKnownOptions`).
 */

/**
 * Writer options by handler alias (`logArtifact(name, value, { handler: alias, ...these })`).
 * Empty here: each handler package declares its aliases by augmenting it, so
 * only installed handlers are known to the compiler.
 *
 * @example
 * declare module "@lazyscribe/core" {
 *   interface HandlerWriteOptionsMap {
 *     pickle: { protocol?: number };
 *   }
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface HandlerWriteOptionsMap {}

/**
 * Reader options by handler alias (`loadArtifact(name, { ...these })`).
 * Augment it next to {@link HandlerWriteOptionsMap}; `{}` for a handler that takes none.
 *
 * @example
 * declare module "@lazyscribe/core" {
 *   interface HandlerReadOptionsMap {
 *     pickle: { encoding?: string };
 *   }
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface HandlerReadOptionsMap {}

/**
 * Handler aliases the compiler knows (declared in {@link HandlerWriteOptionsMap}).
 *
 * @example
 * const alias: KnownHandlerAlias = "json"; // with @lazyscribe/handlers installed
 */
export type KnownHandlerAlias = keyof HandlerWriteOptionsMap & string;

/** Turns a union into the intersection of its members (for "every reader's options"). */
type UnionToIntersection<U> = (U extends unknown ? (arg: U) => void : never) extends (arg: infer I) => void ? I : never;

/** The write options of `alias`, or `{}` when it is not in the map. */
type WriteOptionsOf<Alias extends string> = Alias extends keyof HandlerWriteOptionsMap ? HandlerWriteOptionsMap[Alias] : object;

/**
 * Writer options used when `logArtifact` picks the handler from the value
 * (bytes/stream → bytes, string → text, else json): every default handler's
 * options, all optional, since which one applies is known only at run time.
 *
 * @example
 * repo.logArtifact("features", [0, 1, 2], { indent: 4 } satisfies DefaultWriteOptions);
 */
export type DefaultWriteOptions = Partial<WriteOptionsOf<"json"> & WriteOptionsOf<"text"> & WriteOptionsOf<"bytes">>;

/**
 * Reader options of every known handler, all optional: `loadArtifact` learns
 * the handler from the manifest, so the type accepts any known reader option.
 *
 * @example
 * await repo.loadArtifact("features", { columns: ["age"] } satisfies KnownReadOptions); // with @lazyscribe/handlers-arrow
 */
export type KnownReadOptions = Partial<UnionToIntersection<{ [Alias in keyof HandlerReadOptionsMap]: HandlerReadOptionsMap[Alias] }[keyof HandlerReadOptionsMap]>>;

/**
 * Options of a `logArtifact` (repository, experiment or test), exact for the
 * handler they name, on top of that call's own `Base` options:
 * - no `handler` (`Alias` is `never`): `Base` and {@link DefaultWriteOptions};
 * - an alias typed `string`: `Dynamic`, checked at run time only;
 * - a literal alias in {@link HandlerWriteOptionsMap}: `Base`, `handler` and that handler's writer options;
 * - a literal alias the map does not know: a compile error.
 *
 * @example
 * type RepositoryLogOptions<A extends string = never> = ExactLogOptions<LogBaseOptions, A, DynamicLogOptions>;
 */
export type ExactLogOptions<Base, Alias extends string, Dynamic> = [Alias] extends [never]
  ? Base & { handler?: undefined } & DefaultWriteOptions
  : string extends Alias
    ? Dynamic
    : Alias extends KnownHandlerAlias
      ? Base & { handler: Alias } & HandlerWriteOptionsMap[Alias]
      : Base & { handler: KnownHandlerAlias };
