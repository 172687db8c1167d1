// The built demo site's other pages in a real browser, beside test/site.test.ts on the other
// core and from the same build (demoSite): equity, quality, template, the printed reports,
// segment reports, explore and the customer profile, each also toured (test/tour.ts;
// screenshots land in test/output/).
import {join} from "node:path";
import {beforeAll, describe, vi} from "vitest";
import {pages} from "../src/core/pages.js";
import {servedSite} from "./browser.js";
import {customerPageTests} from "./pages/customer.js";
import {equityPageTests} from "./pages/equity.js";
import {explorePageTests} from "./pages/explore.js";
import {qualityPageTests} from "./pages/quality.js";
import {reportsPageTests} from "./pages/reports.js";
import {templatePageTests} from "./pages/template.js";
import {reportTests} from "./report.js";
import {demoPagesOfSiteTest, demoSite, projectDir} from "./site.js";
import {siteTour} from "./tour.js";

// A test that works a page's controls waits for DuckDB-WASM's answers, slower while the other test file's browser
// runs beside it on two cores (test/pages/context.ts: requery).
vi.setConfig({testTimeout: 120_000});

describe("every page in chromium", () => {
  beforeAll(() => {
    demoSite();
  });
  const site = servedSite(join(projectDir, "dist"));

  const {open, renderTests} = siteTour(site, {
    paths: pages.map((page) => page.path).filter((path) => !demoPagesOfSiteTest.includes(path))
  });

  equityPageTests({open});
  qualityPageTests({open});
  templatePageTests({open});
  reportTests(site);
  reportsPageTests({open});
  explorePageTests({open});
  customerPageTests({open});
  renderTests();
});
