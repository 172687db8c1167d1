import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {demoAsOf, demoMapping} from "../loaders/demo/paths.js";
import {ingest} from "../loaders/ingest.js";
import {pseudonymKey} from "../loaders/pseudonym.js";
import {readSettings} from "../loaders/settings.js";
import {demoCache, demoCacheKeepMs, demoSource} from "../loaders/source/source.js";
import {temporaryDirectory} from "./tempDir.js";

describe("demoSource(settings)", () => {
  it("ingests the demo once and gives the same folder to every later reader, every file as a fresh ingest writes it, byte for byte", async () => {
    const settings = readSettings({});
    const first = await demoSource(settings);
    expect(first.startsWith(demoCache)).toBe(true);
    const written = statSync(join(first, "quality.json")).mtimeMs;
    // A second reader (the build's second process) finds it and ingests nothing.
    expect(await demoSource(settings)).toBe(first);
    expect(statSync(join(first, "quality.json")).mtimeMs).toBe(written);
    const fresh = temporaryDirectory("demo-fresh-");
    await ingest("generic", [demoMapping], fresh, {asOf: demoAsOf, key: pseudonymKey(null), duckdbMemory: null});
    expect(readdirSync(first).sort()).toEqual(readdirSync(fresh).sort());
    for (const file of readdirSync(fresh))
      expect(readFileSync(join(first, file)).equals(readFileSync(join(fresh, file))), file).toBe(true);
  });

  it("keeps another folder for another pseudonym key", async () => {
    const ours = await demoSource(readSettings({}));
    const theirs = await demoSource(readSettings({CUSTOMER_EQUITY_PSEUDONYM_KEY: "another key"}));
    expect(theirs).not.toBe(ours);
    expect(readFileSync(join(theirs, "customer_summary.csv"), "utf-8")).not.toBe(
      readFileSync(join(ours, "customer_summary.csv"), "utf-8")
    );
  });

  it("removes copies no reader touched for a day, keeps the others, and marks its own as read", async () => {
    const settings = readSettings({});
    const ours = await demoSource(settings);
    const [stale, recent] = ["stale", "recent"].map((name) => join(demoCache, `demo-test-${name}-${process.pid}`));
    const now = Date.now();
    for (const [dir, age] of [
      [stale!, demoCacheKeepMs + 60_000],
      [recent!, demoCacheKeepMs - 60_000],
      [ours, 3_600_000]
    ] as const) {
      mkdirSync(dir, {recursive: true});
      utimesSync(dir, new Date(now - age), new Date(now - age));
    }
    expect(await demoSource(settings)).toBe(ours);
    expect(existsSync(stale!)).toBe(false);
    expect(existsSync(recent!)).toBe(true);
    expect(statSync(ours).mtimeMs).toBeGreaterThanOrEqual(now - 1000);
    rmSync(recent!, {recursive: true});
  });
});
