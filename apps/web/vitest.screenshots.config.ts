import { defineConfig } from "vitest/config";

// `pnpm --filter @lazyscribe/web screenshots`: writes screenshots/*.png of the demo data.
export default defineConfig({
  test: {
    include: ["src/screenshots.shots.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    globalSetup: ["src/testing/installChromium.ts"],
  },
});
