import {defineConfig} from "vitest/config";
import {BaseSequencer, type TestSpecification} from "vitest/node";

/**
 * The browser tours (test/site.test.ts and test/sitePages.test.ts, the demo; test/siteSources.test.ts, the other
 * sources) are the longest files by far, and small ones, so vitest's order (by size, where no earlier run is cached,
 * as in CI) starts them late and the run waits for them alone at the end. Started first, they run beside all the
 * other files.
 */
class BrowserToursFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const tours = ["/test/site.test.ts", "/test/sitePages.test.ts", "/test/siteSources.test.ts"];
    const rank = (file: TestSpecification) => {
      const tour = tours.findIndex((tour) => file.moduleId.endsWith(tour));
      return tour < 0 ? tours.length : tour;
    };
    return sorted.toSorted((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // One id per run, by which the demo's tours share one build of it (test/site.ts: demoSite).
    env: {CUSTOMER_EQUITY_TEST_RUN: `${process.pid}-${Date.now()}`},
    // Two files at a time on the two cores: vitest's default (cores − 1) runs them one by one, and the browser tour
    // alone takes half the run while the other files wait.
    maxWorkers: 2,
    sequence: {sequencer: BrowserToursFirst},
    testTimeout: 30_000,
    // A hook that builds the site may wait for another file's build first (test/site.ts: withBuildLock).
    hookTimeout: 600_000
  }
});
