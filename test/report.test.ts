// What npm run report prints: the pages of a config (every form Framework allows for
// dynamicPaths), routed to their Markdown source to honour `report: false`.
import {mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {pageSource, pdfName, reportPaths, summaryTable} from "../scripts/report.js";
import {temporaryDirectory} from "./tempDir.js";

/** A site root with the given Markdown files (path → text). */
function siteRoot(files: Record<string, string>): string {
  const root = temporaryDirectory("report-site-");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), {recursive: true});
    writeFileSync(join(root, path), text);
  }
  return root;
}

const root = siteRoot({
  "index.md": "# Overview\n",
  "profit.md": "---\ntitle: Profit\n---\n# Profit\n",
  "explore.md": "---\ntitle: Explore\nreport: false\n---\n# Explore\n",
  "notes.md": "# Notes\n\nreport: false in the text is not front matter.\n",
  "report/channel/[name].md": "---\ntitle: Channel\n---\n",
  "report/[kind]/[name].md": "---\ntitle: Any\nreport: false\n---\n",
  "report/segment/index.md": "# Segments\n"
});

describe("reportPaths(config)", () => {
  it("lists the overview, then pages (sections flattened), then dynamic paths from an array", async () => {
    const pages = [{path: "/profit"}, {pages: [{path: "/notes"}]}];
    expect(await reportPaths({root, pages, dynamicPaths: ["/report/channel/email"]})).toEqual([
      "/",
      "/profit",
      "/notes",
      "/report/channel/email"
    ]);
  });

  it("takes dynamic paths from a generator or an async generator, and none when they are absent", async () => {
    expect(await reportPaths({root, pages: [{path: "/profit"}]})).toEqual(["/", "/profit"]);
    expect(
      await reportPaths({
        root,
        dynamicPaths: function* () {
          yield "/report/channel/a";
          yield "/report/channel/b";
        }
      })
    ).toEqual(["/", "/report/channel/a", "/report/channel/b"]);
    expect(
      await reportPaths({
        root,
        dynamicPaths: async function* () {
          yield "/report/channel/c";
        }
      })
    ).toEqual(["/", "/report/channel/c"]);
  });

  it("leaves out a page whose front matter says report: false, and only those", async () => {
    // /report/other/x routes to [kind]/[name].md, which says report: false; the channel folder's own file does not.
    const pages = [{path: "/explore"}, {path: "/notes"}, {path: "/profit.html"}];
    expect(
      await reportPaths({root, pages, dynamicPaths: ["/report/other/x", "/report/channel/web", "/profit"]})
    ).toEqual(["/", "/notes", "/profit", "/report/channel/web"]);
  });
});

describe("pageSource(root, path)", () => {
  it("routes exact names before parameterized ones, folders to index.md, and says undefined for no page", () => {
    expect(pageSource(root, "/")).toBe(join(root, "index.md"));
    expect(pageSource(root, "/report/channel/email")).toBe(join(root, "report/channel/[name].md"));
    expect(pageSource(root, "/report/segment/vip")).toBe(join(root, "report/[kind]/[name].md"));
    expect(pageSource(root, "/report/segment/")).toBe(join(root, "report/segment/index.md"));
    expect(pageSource(root, "/missing")).toBeUndefined();
  });
});

describe("pdfName(path) and summaryTable(rows)", () => {
  it("names a page's PDF after its path", () => {
    expect(pdfName("/")).toBe("index.pdf");
    expect(pdfName("/profit")).toBe("profit.pdf");
    expect(pdfName("/report/channel/email")).toBe("report-channel-email.pdf");
  });

  it("aligns page, PDF pages, bytes and seconds", () => {
    const rows = [
      {path: "/", file: "index.pdf", pages: 3, bytes: 81349, seconds: 2.34},
      {path: "(all)", file: "all.pdf", pages: 10, bytes: 900, seconds: 0.05}
    ];
    expect(summaryTable(rows).split("\n")).toEqual([
      "page   PDF pages  bytes  seconds",
      "/              3  81349      2.3",
      "(all)         10    900      0.1"
    ]);
  });
});
