import * as core from "@lazyscribe/core/internal";
import { describe, expect, it } from "vitest";
import {
  builtinHandlers,
  bytesHandler,
  createHandlerRegistry,
  HandlerRegistry,
  jsonHandler,
  registerHandler,
  textHandler,
  v8Handler,
  yamlHandler,
  type ArtifactHandler,
} from "./index.js";

describe("@lazyscribe/handlers index", () => {
  it("lists the built-ins", () => {
    expect(builtinHandlers.map((h) => h.alias)).toEqual(["json", "text", "bytes", "v8", "yaml"]);
    expect(builtinHandlers).toContain(jsonHandler);
    expect(builtinHandlers).toContain(textHandler);
    expect(builtinHandlers).toContain(bytesHandler);
    expect(builtinHandlers).toContain(v8Handler);
    expect(builtinHandlers).toContain(yamlHandler);
  });

  it("has distinct suffixes", () => {
    expect(new Set(builtinHandlers.map((h) => h.suffix)).size).toBe(builtinHandlers.length);
  });

  it("re-exports core's registry API", () => {
    expect(HandlerRegistry).toBe(core.HandlerRegistry);
    expect(registerHandler).toBe(core.registerHandler);
  });

  it("creates a registry with the built-ins plus extras", () => {
    const csv: ArtifactHandler<string[][]> = {
      alias: "csv",
      suffix: "csv",
      binary: false,
      write: (rows) => rows.map((r) => r.join(",")).join("\n"),
      read: async (src) => (await src.text()).split("\n").map((l) => l.split(",")),
    };
    const registry = createHandlerRegistry([csv]);
    expect(registry).toBeInstanceOf(HandlerRegistry);
    expect(registry.aliases().sort()).toEqual(["bytes", "csv", "json", "text", "v8", "yaml"]);
    expect(registry.get("json")).toBe(jsonHandler);
    expect(createHandlerRegistry().has("csv")).toBe(false);
  });

  it("lets an extra replace a built-in", () => {
    const myJson: ArtifactHandler = { ...jsonHandler, write: () => "{}", read: () => ({}) };
    expect(createHandlerRegistry([myJson]).get("json")).toBe(myJson);
  });

  it("picks default handlers by value through core's chooseFor", () => {
    const registry = createHandlerRegistry();
    expect(registry.chooseFor(new Uint8Array(1))).toBe(bytesHandler);
    expect(registry.chooseFor("s")).toBe(textHandler);
    expect(registry.chooseFor({ a: 1 })).toBe(jsonHandler);
  });

  it("freezes the shared handler objects", () => {
    for (const h of builtinHandlers) expect(Object.isFrozen(h)).toBe(true);
  });
});
