// Observable Framework configuration: https://observablehq.com/framework/config
export default {
  title: "Customer Equity",
  root: "src",
  output: process.env.CUSTOMER_EQUITY_OUTPUT ?? "dist",
  // Every page the site has; the browser test opens each one.
  pages: [
    {name: "Profit", path: "/profit"},
    {name: "Retention", path: "/retention"},
    {name: "Satisfaction", path: "/satisfaction"},
    {name: "Customer equity", path: "/equity"},
    {name: "Lifecycle", path: "/lifecycle"},
    {name: "Explore", path: "/explore"},
    {name: "Data quality", path: "/quality"}
  ] as {name: string; path: string}[],
  // Links are written with .html so that dist/ works on any static host as it is.
  preserveExtension: true,
  // The site must load nothing from another host: no web fonts (style.css sets local
  // font stacks), a local favicon, and no DuckDB extensions (null is the only value that
  // keeps the build from downloading them; Parquet therefore reaches the browser another way).
  style: "style.css",
  globalStylesheets: [],
  head: '<link rel="icon" href="data:,">',
  duckdb: {extensions: {json: null, parquet: null}},
  // Framework's default footer stamps the build date; the same input must give the same dist/.
  footer: "Customer Equity: where customer value comes from and where it leaks away.",
  search: false,
  toc: false
};
