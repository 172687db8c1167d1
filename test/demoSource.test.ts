import {readFileSync, statSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {demoAsOf, demoMapping} from "../loaders/demo/paths.js";
import {ingest} from "../loaders/ingest.js";
import {pseudonymKey} from "../loaders/pseudonym.js";
import {readSettings} from "../loaders/settings.js";
import {demoCache, demoSource} from "../loaders/source/source.js";
import {temporaryDirectory} from "./tempDir.js";

describe("demoSource(settings)", () => {
  it("ingests the demo once and gives the same folder to every later reader, as a fresh ingest writes it", async () => {
    const settings = readSettings({});
    const first = await demoSource(settings);
    expect(first.startsWith(demoCache)).toBe(true);
    const written = statSync(join(first, "quality.json")).mtimeMs;
    // A second reader (the build's second process) finds it and ingests nothing.
    expect(await demoSource(settings)).toBe(first);
    expect(statSync(join(first, "quality.json")).mtimeMs).toBe(written);
    const fresh = temporaryDirectory("demo-fresh-");
    await ingest("generic", [demoMapping], fresh, {asOf: demoAsOf, key: pseudonymKey(null), duckdbMemory: null});
    for (const file of ["quality.json", "source.json", "customer_summary.csv", "transactions.csv"])
      expect(readFileSync(join(first, file), "utf-8"), file).toBe(readFileSync(join(fresh, file), "utf-8"));
  });

  it("keeps another folder for another pseudonym key", async () => {
    const ours = await demoSource(readSettings({}));
    const theirs = await demoSource(readSettings({CUSTOMER_EQUITY_PSEUDONYM_KEY: "another key"}));
    expect(theirs).not.toBe(ours);
    expect(readFileSync(join(theirs, "customer_summary.csv"), "utf-8")).not.toBe(
      readFileSync(join(ours, "customer_summary.csv"), "utf-8")
    );
  });
});
