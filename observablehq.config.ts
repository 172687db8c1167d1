// Observable Framework configuration: https://observablehq.com/framework/config
import {pages} from "./src/core/pages.js";

export default {
  title: "Customer Equity",
  root: "src",
  output: process.env.CUSTOMER_EQUITY_OUTPUT ?? "dist",
  // The navigation: every page but the overview (the site's home), from the pages' specs.
  pages: pages.filter((page) => page.path !== "/").map(({name, path}) => ({name, path})),
  // One report per acquisition channel and per segment of the source the build uses
  // (src/report/[kind]/[slice].md), read from it as the site's loader reads it; none for CDNOW.
  async *dynamicPaths() {
    const {reportPaths} = await import("./loaders/site/reports.js");
    const {readSettings, SettingError} = await import("./loaders/settings.js");
    const {FatalInputError} = await import("./loaders/stage.js");
    try {
      yield* await reportPaths(readSettings());
    } catch (error) {
      // A source that cannot make a site (missing, empty, no purchases): one plain sentence, and the build stops.
      if (!(error instanceof FatalInputError || error instanceof SettingError)) throw error;
      console.error(`source: ${error.message}`);
      process.exit(1);
    }
  },
  // Links are written with .html so that dist/ works on any static host as it is.
  preserveExtension: true,
  // The site must load nothing from another host: no web fonts (style.css sets local
  // font stacks), a local favicon, and no DuckDB extensions (null is the only value that
  // keeps the build from downloading them; Parquet therefore reaches the browser another way).
  style: "style.css",
  globalStylesheets: [],
  head: '<link rel="icon" href="data:,">',
  duckdb: {extensions: {json: null, parquet: null}},
  // A Print button on every page, segment reports included (hidden on paper by style.css).
  header: '<button type="button" class="print-button" onclick="window.print()">Print</button>',
  // Framework's default footer stamps the build date; the same input must give the same dist/.
  footer: "Customer Equity: where customer value comes from and where it leaks away.",
  search: false,
  toc: false
};
