// Fills Observable Framework's npm cache (<root>/.observablehq/cache/_npm) from
// node_modules, so that `observable build` and `observable preview` take every browser
// module from the versions locked in package-lock.json and never ask the CDN or the
// registry. Framework uses whatever it finds in that cache before going online
// (framework/dist/npm.js: populateNpmCache, resolveNpmVersion).
//
// The cache has the shape jsDelivr serves: `_npm/<name>@<version>/_esm.js` for `+esm`,
// `_npm/<name>@<version>/<sub>._esm.js` for `<sub>/+esm`, plain files as they are. Each
// package is bundled on its own with esbuild; imports of other packages stay imports of
// their sibling cache folders, so a library shared by two packages loads once. CommonJS
// `require()`s are inlined, since a browser module cannot require.
//
// Usage: tsx scripts/vendor-npm.ts [root]   (root defaults to "src")
import {createRequire} from "node:module";
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, copyFileSync, writeFileSync} from "node:fs";
import {dirname, join, posix, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import * as esbuild from "esbuild";

const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(projectDir, "package.json"));
const frameworkDir = dirname(require.resolve("@observablehq/framework/package.json"));

/** Files that are loaded by URL rather than imported, copied as they are. */
const ASSETS: Record<string, string[]> = {
  "@duckdb/duckdb-wasm": [
    "dist/duckdb-mvp.wasm",
    "dist/duckdb-browser-mvp.worker.js",
    "dist/duckdb-eh.wasm",
    "dist/duckdb-browser-eh.worker.js"
  ]
};

/** Packages the site's pages import with `npm:` or through Framework's built-ins. */
const PAGE_PACKAGES = [
  "d3",
  "@observablehq/plot",
  "@observablehq/inputs",
  "htl",
  "isoformat",
  "apache-arrow",
  "arquero",
  "d3-dsv",
  "@duckdb/duckdb-wasm"
];

interface Pkg {
  name: string;
  version: string;
  dir: string;
}

/** The package `name` as node would resolve it from `fromDir`, or undefined if absent. */
export function findPackage(name: string, fromDir: string): Pkg | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) {
      const {version} = JSON.parse(readFileSync(join(candidate, "package.json"), "utf-8")) as {version: string};
      return {name, version, dir: candidate};
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Splits "@scope/name/sub/path" into the package name and the subpath ("" if none). */
export function splitSpecifier(specifier: string): {name: string; sub: string} {
  const parts = specifier.split("/");
  const n = specifier.startsWith("@") ? 2 : 1;
  return {name: parts.slice(0, n).join("/"), sub: parts.slice(n).join("/")};
}

/** The cache path of a module, as Framework names it (npm.js: resolveNpmImport). */
export function cachePath(pkg: {name: string; version: string}, sub: string): string {
  return `${pkg.name}@${pkg.version}/${sub === "" ? "_esm.js" : `${sub.replace(/\.js$/, "")}._esm.js`}`;
}

/** Every `npm:` name in Framework's client code (its built-ins and recommended libraries). */
function frameworkNpmNames(): string[] {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".js")) {
        for (const [, specifier] of readFileSync(path, "utf-8").matchAll(/["']npm:([^"']+)["']/g)) {
          names.add(splitSpecifier(specifier!).name);
        }
      }
    }
  };
  walk(join(frameworkDir, "dist", "client"));
  return [...names].sort();
}

async function bundleModule(
  pkg: Pkg,
  sub: string,
  outFile: string,
  enqueue: (pkg: Pkg, sub: string) => string
): Promise<void> {
  const entry = sub === "" ? pkg.name : `${pkg.name}/${sub}`;
  const result = await esbuild.build({
    // The package's own entry module, so that its `export * from "dep"` stay static.
    entryPoints: [entry],
    absWorkingDir: dirname(pkg.dir),
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "none",
    logLevel: "silent",
    define: {"process.env.NODE_ENV": '"production"'},
    plugins: [
      {
        name: "sibling-packages",
        setup(build) {
          // Another package imported as a module stays an import of its own cache folder;
          // a require() of one is inlined.
          build.onResolve({filter: /^[^./]/}, (args) => {
            if (args.kind !== "import-statement" && args.kind !== "dynamic-import") return undefined;
            const {name, sub: depSub} = splitSpecifier(args.path);
            if (name === pkg.name) return undefined;
            const dep = findPackage(name, args.resolveDir);
            if (!dep) throw new Error(`${pkg.name}@${pkg.version} imports ${args.path}, which is not installed`);
            const target = enqueue(dep, depSub);
            let path = posix.relative(posix.dirname(cachePath(pkg, sub)), target);
            if (!path.startsWith(".")) path = `./${path}`;
            return {path, external: true};
          });
        }
      }
    ]
  });
  mkdirSync(dirname(outFile), {recursive: true});
  writeFileSync(outFile, result.outputFiles[0]!.text);
}

export async function vendorNpm(root: string): Promise<{modules: number; placeholders: number}> {
  const cacheDir = resolve(projectDir, root, ".observablehq", "cache", "_npm");
  rmSync(cacheDir, {recursive: true, force: true});

  const done = new Map<string, Promise<void>>();
  const enqueue = (pkg: Pkg, sub: string): string => {
    const path = cachePath(pkg, sub);
    if (!done.has(path)) done.set(path, bundleModule(pkg, sub, join(cacheDir, path), enqueue));
    return path;
  };

  for (const name of PAGE_PACKAGES) {
    const pkg = findPackage(name, projectDir);
    if (!pkg) throw new Error(`vendor-npm: ${name} is not installed; run npm ci`);
    enqueue(pkg, "");
    for (const asset of ASSETS[name] ?? []) {
      const target = join(cacheDir, `${pkg.name}@${pkg.version}`, asset);
      mkdirSync(dirname(target), {recursive: true});
      copyFileSync(join(pkg.dir, asset), target);
    }
  }
  // Wait for the whole import graph: bundling a module enqueues its dependencies.
  for (let waitedFor = 0; waitedFor < done.size;) {
    waitedFor = done.size;
    await Promise.all(done.values());
  }

  // A name Framework's client code knows but the site does not install gets an empty
  // version folder: Framework then knows a version without asking the registry, and a
  // page that imports it fails at build with this version in the message.
  let placeholders = 0;
  for (const name of frameworkNpmNames()) {
    const scopeDir = dirname(join(cacheDir, name));
    const cached =
      existsSync(scopeDir) && readdirSync(scopeDir).some((entry) => entry.startsWith(`${posix.basename(name)}@`));
    if (cached) continue;
    mkdirSync(join(cacheDir, `${name}@0.0.0-not-installed`), {recursive: true});
    placeholders++;
  }
  return {modules: done.size, placeholders};
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const start = performance.now();
  const {modules, placeholders} = await vendorNpm(process.argv[2] ?? "src");
  console.log(
    `vendor-npm: ${modules} browser modules from node_modules, ${placeholders} placeholders, ${Math.round(performance.now() - start)} ms`
  );
}
