import { ArtifactLogError, LazyscribeError, UnknownHandlerError } from "../errors.js";
import type { ArtifactHandler } from "./ArtifactHandler.js";
import { isOneShot } from "../repository/writeArtifactFile.js";

/**
 * A set of handlers by alias. `Repository.open` uses the default registry
 * unless given one.
 *
 * @example
 * const registry = new HandlerRegistry([jsonHandler]);
 * registry.register(myCsvHandler);
 */
export class HandlerRegistry {
  private readonly byAlias = new Map<string, ArtifactHandler>();

  constructor(handlers: Iterable<ArtifactHandler> = []) {
    for (const h of handlers) this.register(h);
  }

  /** Add or replace a handler. */
  register<T>(handler: ArtifactHandler<T>): this {
    if (!handler || typeof handler.alias !== "string" || handler.alias.length === 0) {
      throw new LazyscribeError("a handler needs a non-empty string alias");
    }
    if (typeof handler.write !== "function" || typeof handler.read !== "function") {
      throw new LazyscribeError(`handler "${handler.alias}" must have write() and read() functions`);
    }
    this.byAlias.set(handler.alias, handler as ArtifactHandler);
    return this;
  }

  has(alias: string): boolean {
    return this.byAlias.has(alias);
  }

  /** The handler for `alias`, or `undefined`. */
  find(alias: string): ArtifactHandler | undefined {
    return this.byAlias.get(alias);
  }

  /** The handler for `alias`; throws {@link UnknownHandlerError}. */
  get(alias: string, context = ""): ArtifactHandler {
    const h = this.byAlias.get(alias);
    if (!h) throw new UnknownHandlerError(alias, context);
    return h;
  }

  aliases(): string[] {
    return [...this.byAlias.keys()];
  }

  /** A copy that can be extended without touching this registry. */
  clone(): HandlerRegistry {
    return new HandlerRegistry(this.byAlias.values());
  }

  /**
   * Pick a handler for a value when none was named: bytes or streams →
   * `bytes`, strings → `text`, anything else → `json`.
   */
  chooseFor(value: unknown): ArtifactHandler {
    const alias =
      value instanceof Uint8Array || isOneShot(value)
        ? "bytes"
        : typeof value === "string"
          ? "text"
          : "json";
    const h = this.byAlias.get(alias);
    if (!h) throw new ArtifactLogError(`no handler given and the default "${alias}" handler is not registered; pass { handler }`);
    return h;
  }
}
