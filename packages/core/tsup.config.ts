import { defineConfig, type Options } from "tsup";

type EsbuildPlugin = NonNullable<Options["esbuildPlugins"]>[number];

/**
 * `index` (the curated public surface) re-exports from `internal` at run
 * time instead of bundling its own copy, so a class or the defaults registry
 * exists once whichever entry a package imports (also in CommonJS, where
 * tsup does not split chunks).
 */
const internalStaysExternal: EsbuildPlugin = {
  name: "internal-stays-external",
  setup(build) {
    const ext = build.initialOptions.format === "cjs" ? ".cjs" : ".js";
    build.onResolve({ filter: /^\.\/internal\.js$/ }, (args) =>
      /[\\/]src[\\/]index\.ts$/.test(args.importer) ? { path: `./internal${ext}`, external: true } : undefined,
    );
  },
};

export default defineConfig({
  entry: ["src/index.ts", "src/internal.ts", "src/testing.ts"],
  external: ["vitest"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  esbuildPlugins: [internalStaysExternal],
});
