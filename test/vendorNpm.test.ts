import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import * as esbuild from "esbuild";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {cachePath, splitSpecifier, vendorNpm} from "../scripts/vendor-npm.js";

describe("splitSpecifier(specifier) and cachePath(pkg, sub)", () => {
  it("name cache files as Framework does (`+esm` → _esm.js, `x/+esm` → x._esm.js)", () => {
    expect(splitSpecifier("d3")).toEqual({name: "d3", sub: ""});
    expect(splitSpecifier("@duckdb/duckdb-wasm/dist/x.js")).toEqual({name: "@duckdb/duckdb-wasm", sub: "dist/x.js"});
    expect(cachePath({name: "d3", version: "7.9.2"}, "")).toBe("d3@7.9.2/_esm.js");
    expect(cachePath({name: "@observablehq/plot", version: "0.6.17"}, "src/marks")).toBe(
      "@observablehq/plot@0.6.17/src/marks._esm.js"
    );
  });
});

describe("vendorNpm(root)", () => {
  const root = mkdtempSync(join(tmpdir(), "vendor-npm-"));
  const cache = join(root, ".observablehq", "cache", "_npm");
  const files: string[] = [];
  beforeAll(async () => {
    await vendorNpm(root);
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, {withFileTypes: true})) {
        if (entry.isDirectory()) walk(join(dir, entry.name));
        else files.push(join(dir, entry.name));
      }
    };
    walk(cache);
  });
  afterAll(() => rmSync(root, {recursive: true, force: true}));

  it("bundles the installed versions of the page libraries", () => {
    const installed = (name: string) =>
      (JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf-8")) as {version: string}).version;
    for (const name of ["d3", "@observablehq/plot", "@observablehq/inputs", "apache-arrow", "@duckdb/duckdb-wasm"]) {
      expect(existsSync(join(cache, `${name}@${installed(name)}`, "_esm.js")), name).toBe(true);
    }
  });

  it("copies DuckDB-WASM's wasm and worker files as they are", () => {
    const dir = join(cache, "@duckdb/duckdb-wasm@1.29.0/dist");
    for (const file of [
      "duckdb-eh.wasm",
      "duckdb-mvp.wasm",
      "duckdb-browser-eh.worker.js",
      "duckdb-browser-mvp.worker.js"
    ]) {
      expect(
        readFileSync(join(dir, file)).equals(readFileSync(`node_modules/@duckdb/duckdb-wasm/dist/${file}`)),
        file
      ).toBe(true);
    }
  });

  it("leaves no import unresolved: every import names a cached file, and no require() remains", async () => {
    const modules = files.filter((file) => file.endsWith(".js") && !file.includes("/dist/"));
    expect(modules.length).toBeGreaterThan(30);
    // esbuild resolves the whole graph; the temporary root has no node_modules to fall back on.
    const {metafile} = await esbuild.build({
      entryPoints: modules,
      bundle: true,
      write: false,
      outdir: "out",
      format: "esm",
      metafile: true,
      logLevel: "silent"
    });
    for (const [input, {imports}] of Object.entries(metafile.inputs)) {
      for (const {path, kind, external} of imports) {
        expect(external, `${input} imports ${path}`).toBeFalsy();
        expect(kind, `${input} imports ${path}`).not.toBe("require-call");
      }
    }
  });

  it("gives each npm: name of Framework's client code that is not installed an empty placeholder version", () => {
    expect(readdirSync(join(cache, "leaflet@0.0.0-not-installed"))).toEqual([]);
    expect(existsSync(join(cache, "react-dom@0.0.0-not-installed"))).toBe(true);
  });
});
