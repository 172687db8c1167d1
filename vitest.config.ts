import {defineConfig} from "vitest/config";
import {BaseSequencer, type TestSpecification} from "vitest/node";

/**
 * The browser tour (test/site.test.ts) is the longest file by far, and a small one, so vitest's
 * order (by size, where no earlier run is cached, as in CI) starts it late and the run waits for
 * it alone at the end. Started first, it runs beside all the other files.
 */
class BrowserTourFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const tour = (file: TestSpecification) => file.moduleId.endsWith("/test/site.test.ts");
    return [...sorted.filter(tour), ...sorted.filter((file) => !tour(file))];
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // Two files at a time on the two cores: vitest's default (cores − 1) runs them one by one, and the browser tour
    // alone takes half the run while the other files wait.
    maxWorkers: 2,
    sequence: {sequencer: BrowserTourFirst},
    testTimeout: 30_000,
    // A hook that builds the site may wait for another file's build first (test/site.ts: withBuildLock).
    hookTimeout: 600_000
  }
});
