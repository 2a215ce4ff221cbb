import { copyFileSync, mkdirSync } from "node:fs";
import { defineConfig } from "tsup";

// Two outputs: the server (Node, ESM, with types) and the page (one minified
// browser script plus index.html and app.css) in dist/public, which the
// server reads at run time.
export default defineConfig([
  {
    entry: { index: "src/index.ts" },
    outDir: "dist",
    format: ["esm"],
    platform: "node",
    target: "node20",
    dts: true,
    sourcemap: false,
    clean: false,
  },
  {
    entry: { app: "src/client/main.tsx" },
    outDir: "dist/public",
    format: ["iife"],
    platform: "browser",
    target: "es2022",
    noExternal: [/.*/],
    minify: true,
    sourcemap: false,
    clean: false,
    outExtension: () => ({ js: ".js" }),
    esbuildOptions(o) {
      o.jsx = "automatic";
      o.jsxImportSource = "preact";
    },
    async onSuccess() {
      mkdirSync("dist/public", { recursive: true });
      copyFileSync("src/client/index.html", "dist/public/index.html");
      copyFileSync("src/client/app.css", "dist/public/app.css");
      copyFileSync("node_modules/uplot/dist/uPlot.min.css", "dist/public/uplot.css");
    },
  },
]);
