// The code's layers (../shared/DESIGN.md, "Shape of the code"): src/core is pure code that
// loaders, pages and tests share; src/components is for the browser only. Loaders must never
// reach a chart or a browser package, and the core must import nothing outside itself but
// the pure packages it is allowed. (That the core uses neither DOM nor Node APIs is checked
// by its own tsconfig, in npm run lint.)
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {dirname, join, relative, resolve} from "node:path";
import ts from "typescript";
import {describe, expect, it} from "vitest";

const root = resolve(import.meta.dirname, "..");

/** Packages a page may import but Node-side code must not: charts, inputs, markup, the browser's DuckDB. */
const browserOnly = /^(npm:|@observablehq\/(plot|inputs|stdlib)$|htl$|@duckdb\/duckdb-wasm$)/;
/** The packages the core may import: pure numeric and formatting code. */
const coreAllowed = /^(d3|@stdlib\/math-base-special-[a-z0-9-]+)$/;

/** Every .ts file below a folder of the repository, as paths relative to its root. */
function tsFiles(folder: string): string[] {
  return readdirSync(join(root, folder), {recursive: true, encoding: "utf-8"})
    .filter((file) => file.endsWith(".ts"))
    .map((file) => join(folder, file));
}

/** A file's imports (static, re-exports and dynamic), each as written and, if relative, resolved to a file. */
function importsOf(file: string): {specifier: string; target: string | null}[] {
  const {importedFiles} = ts.preProcessFile(readFileSync(join(root, file), "utf-8"), true, true);
  return importedFiles.map(({fileName: specifier}) => {
    if (!specifier.startsWith(".")) return {specifier, target: null};
    const target = relative(root, resolve(root, dirname(file), specifier.replace(/\.js$/, ".ts")));
    if (!existsSync(join(root, target))) throw new Error(`${file} imports ${specifier}, which does not exist`);
    return {specifier, target};
  });
}

/** Every file reached from `starts` by relative imports, with the packages each imports. */
function reach(starts: readonly string[]): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const queue = [...starts];
  while (queue.length) {
    const file = queue.pop()!;
    if (reached.has(file)) continue;
    const imports = importsOf(file);
    reached.set(
      file,
      imports.filter((i) => i.target === null).map((i) => i.specifier)
    );
    for (const {target} of imports) if (target !== null) queue.push(target);
  }
  return reached;
}

/** The browser-only code a set of files reaches: component files, and browser packages with who imports them. */
function browserCodeReached(starts: readonly string[]): string[] {
  const found: string[] = [];
  for (const [file, packages] of reach(starts)) {
    if (file.startsWith("src/components/")) found.push(file);
    for (const pkg of packages) if (browserOnly.test(pkg)) found.push(`${pkg} (imported by ${file})`);
  }
  return found.sort();
}

describe("layers", () => {
  it("loaders and the site's data loaders reach no browser-only code, following every relative import", () => {
    const starts = [...tsFiles("loaders"), ...tsFiles("src/data")];
    expect(starts.length).toBeGreaterThan(40);
    expect(browserCodeReached(starts)).toEqual([]);
    // What they reach of src/ is the core (and the data loaders themselves).
    const outside = [...reach(starts).keys()].filter(
      (file) => file.startsWith("src/") && !file.startsWith("src/core/") && !file.startsWith("src/data/")
    );
    expect(outside).toEqual([]);
  });

  it("the sources (loaders/source) reach none of the site's page loaders (loaders/site), which work on any source alike", () => {
    const reached = [...reach(tsFiles("loaders/source")).keys()].filter((file) => file.startsWith("loaders/site/"));
    expect(reached).toEqual([]);
  });

  it("sees browser-only code where there is some: a chart reaches Plot", () => {
    expect(browserCodeReached(["src/components/profitCharts.ts"])).toEqual([
      "@observablehq/plot (imported by src/components/profitCharts.ts)",
      "src/components/profitCharts.ts"
    ]);
  });

  it("the core imports nothing outside src/core but d3 and the special functions", () => {
    const strays: string[] = [];
    for (const file of tsFiles("src/core")) {
      for (const {specifier, target} of importsOf(file)) {
        const inside = target === null ? coreAllowed.test(specifier) : target.startsWith("src/core/");
        if (!inside) strays.push(`${file} imports ${specifier}`);
      }
    }
    expect(strays).toEqual([]);
  });
});
