import {describe, expect, it} from "vitest";
import {assignSlugs, maxSlugLength, slug} from "../../src/core/format/slug.js";

describe("slug(name)", () => {
  it("lower-cases and joins words with '-'", () => {
    expect(slug("Search")).toBe("search");
    expect(slug("Paid Social / Meta")).toBe("paid-social-meta");
    expect(slug("  partner #2  ")).toBe("partner-2");
  });
  it("drops accents rather than the letters that carry them", () => {
    expect(slug("café")).toBe("cafe");
    expect(slug("Bäckerei Müller")).toBe("backerei-muller");
  });
  it("keeps markup and path characters out", () => {
    expect(slug("<script>alert(1)</script>")).toBe("script-alert-1-script");
    expect(slug("../../etc")).toBe("etc");
  });
  it("is 'slice' when no letter or digit is left", () => {
    expect(slug("–")).toBe("slice");
    expect(slug("日本")).toBe("slice");
  });
  it(`stops at ${maxSlugLength} characters without a trailing '-'`, () => {
    const long = slug(`${"a".repeat(maxSlugLength - 1)} b`);
    expect(long).toBe("a".repeat(maxSlugLength - 1));
  });
});

describe("assignSlugs(names)", () => {
  it("gives colliding names -2, -3 in code-unit order of the names, whatever order they come in", () => {
    // Code units: "Café" (C = 0x43) < "cafe" (c = 0x63) < "café".
    const expected = new Map([
      ["Café", "cafe"],
      ["cafe", "cafe-2"],
      ["café", "cafe-3"]
    ]);
    expect(assignSlugs(["café", "cafe", "Café"])).toEqual(expected);
    expect(assignSlugs(["cafe", "Café", "café", "cafe"])).toEqual(expected);
  });
  it("skips a suffix that another name already has as its own slug", () => {
    // "cafe 2" → "cafe-2" comes after "Cafe" and "cafe" in code-unit order: "cafe" took "cafe-2" first.
    expect(assignSlugs(["Cafe", "cafe", "cafe 2"])).toEqual(
      new Map([
        ["Cafe", "cafe"],
        ["cafe", "cafe-2"],
        ["cafe 2", "cafe-2-2"]
      ])
    );
  });
  it("never gives 'index'", () => {
    expect(assignSlugs(["Index"]).get("Index")).toBe("index-2");
  });
});
