import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type Options } from "tsup";

type EsbuildPlugin = NonNullable<Options["esbuildPlugins"]>[number];

/**
 * zod re-exports every translation of its error messages as `z.locales`
 * (about a third of the bundle). Nothing here uses `z.locales`, and English
 * messages come from zod's own `locales/en.js`, which is still bundled; so the
 * all-locales index is replaced by an empty module to keep startup fast.
 */
const dropZodLocales: EsbuildPlugin = {
  name: "drop-zod-locales",
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: "zod-locales", namespace: "empty-zod-locales" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "empty-zod-locales" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

/**
 * `@lazyscribe/storage-s3` (and the AWS SDK under it) goes into its own file,
 * `dist/lazyscribe-s3.mjs`, which the main bundle imports only on the first
 * `s3://` location: start-up for local paths does not parse the SDK. The
 * library's import of it becomes src/s3Loader.ts (bundled), which imports
 * that file and reports it missing as an incomplete CLI install.
 */
const s3InOwnFile: EsbuildPlugin = {
  name: "s3-in-own-file",
  setup(build) {
    build.onResolve({ filter: /^@lazyscribe\/storage-s3$/ }, (args) => {
      if (/[\\/]src[\\/]s3\.ts$/.test(args.importer)) return undefined;
      if (/[\\/]src[\\/]s3Loader\.ts$/.test(args.importer)) return { path: "./lazyscribe-s3.mjs", external: true };
      return { path: fileURLToPath(new URL("./src/s3Loader.ts", import.meta.url)) };
    });
  },
};

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

// One self-contained file: every dependency (commander, zod, lazyscribe and
// its packages) is inlined, so `dist/lazyscribe.mjs` runs with nothing installed.
export default defineConfig({
  entry: { lazyscribe: "src/main.ts", "lazyscribe-s3": "src/s3.ts" },
  outDir: "dist",
  format: ["esm"],
  outExtension: () => ({ js: ".mjs" }),
  platform: "node",
  target: "node20",
  noExternal: [/.*/],
  // No chunks: dynamic imports are inlined into the one file (and still evaluated lazily).
  splitting: false,
  dts: false,
  sourcemap: false,
  clean: true,
  minify: true,
  // Class names stay readable in --debug stacks (LazyscribeError subclasses use new.target.name).
  keepNames: true,
  esbuildPlugins: [dropZodLocales, s3InOwnFile],
  define: { __CLI_VERSION__: JSON.stringify(pkg.version) },
  banner: {
    // The shebang appears only here (src/main.ts has none), so exactly once.
    // CommonJS dependencies (commander) call require() for Node built-ins.
    js: '#!/usr/bin/env node\nimport { createRequire as __lzCreateRequire } from "node:module";\nconst require = __lzCreateRequire(import.meta.url);',
  },
});
