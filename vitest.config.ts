import {defineConfig} from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // Two files at a time on the two cores: vitest's default (cores − 1) runs them one by one, and the browser tour
    // alone takes half the run while the other files wait.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 180_000
  }
});
