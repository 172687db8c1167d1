// What npm run report prints: the pages of a config (every form Framework allows for
// dynamicPaths), routed to their Markdown source to honour `report: false`; and how full a
// printed page is, on hand-made PGM images and a hand-written PDF (poppler renders it).
import {mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {pageFill, parsePgm, pdfPageFills} from "../scripts/pageFill.js";
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

  it("aligns page, PDF pages, bytes, seconds, the scale printed at and the least full page", () => {
    const rows = [
      {path: "/", file: "index.pdf", pages: 3, bytes: 81349, seconds: 2.34, scale: 1, fills: [0.9, 0.554, 0.7]},
      {path: "(all)", file: "all.pdf", pages: 10, bytes: 900, seconds: 0.05, scale: 0.93, fills: [0.4, 1]}
    ];
    expect(summaryTable(rows).split("\n")).toEqual([
      "page   PDF pages  bytes  seconds  scale  least full page",
      "/              3  81349      2.3  100 %             55 %",
      "(all)         10    900      0.1   93 %             40 %"
    ]);
  });
});

/** A binary PGM (P5) of width × height, white but for the given pixels ([x, y, grey]), with a comment in its header as pdftoppm may write. */
function pgm(width: number, height: number, pixels: [number, number, number][] = []): Buffer {
  const body = Buffer.alloc(width * height, 255);
  for (const [x, y, grey] of pixels) body[y * width + x] = grey;
  return Buffer.concat([Buffer.from(`P5\n# hand-made\n${width} ${height}\n255\n`), body]);
}

describe("parsePgm(bytes) and pageFill(image, margins)", () => {
  it("reads a PGM's size and pixels, and refuses a text PGM", () => {
    const image = parsePgm(pgm(3, 2, [[2, 1, 7]]));
    expect([image.width, image.height, image.maxValue]).toEqual([3, 2, 255]);
    expect([...image.pixels]).toEqual([255, 255, 255, 255, 255, 7]);
    expect(() => parsePgm(Buffer.from("P2\n1 1\n255\n0\n"))).toThrow(/P5/);
  });

  it("is the share of rows from the first printed row to the last, within the margins", () => {
    // Ink in rows 3 and 6 of 10: rows 3..6 are 4 of 10; within margins of 2 rows, 4 of the 6 rows 2..7.
    const page = parsePgm(
      pgm(4, 10, [
        [1, 3, 0],
        [2, 6, 120]
      ])
    );
    expect(pageFill(page)).toBe(0.4);
    expect(pageFill(page, {top: 2, bottom: 2})).toBe(4 / 6);
    // Ink only in the margins (a header and a footer) leaves the page empty; so does no ink.
    expect(
      pageFill(
        parsePgm(
          pgm(4, 10, [
            [0, 0, 0],
            [0, 9, 0]
          ])
        ),
        {top: 2, bottom: 2}
      )
    ).toBe(0);
    expect(pageFill(parsePgm(pgm(4, 10)))).toBe(0);
  });

  it("counts a card's light grey as printed and paper white as not (97 % of white: 247.35 of 255)", () => {
    expect(pageFill(parsePgm(pgm(2, 4, [[0, 1, 247]])))).toBe(0.25);
    expect(pageFill(parsePgm(pgm(2, 4, [[0, 1, 248]])))).toBe(0);
  });
});

/**
 * A PDF of A4 pages (595 × 842 pt) each filling the given rectangles black, written out by
 * hand ([top, bottom] in points from the page's top edge, across x = 100..400 pt).
 */
function handMadePdf(pages: [number, number][][]): Buffer {
  const objects: string[] = ["<< /Type /Catalog /Pages 2 0 R >>", ""];
  const kids: string[] = [];
  for (const rectangles of pages) {
    const content = rectangles.map(([top, bottom]) => `0 g 100 ${842 - bottom} 300 ${bottom - top} re f`).join("\n");
    objects.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${objects.length} 0 R >>`);
    kids.push(`${objects.length} 0 R`);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(" ")}] /Count ${pages.length} >>`;
  let text = "%PDF-1.4\n";
  const offsets = objects.map((object, i) => {
    const offset = text.length;
    text += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(text, "latin1");
}

describe("pdfPageFills(file, margins)", () => {
  it("measures each page of a PDF within its margins (16 mm = 45.4 pt top, 14 mm = 39.7 pt bottom)", () => {
    const file = join(temporaryDirectory("page-fill-"), "pages.pdf");
    // Printable height: 842 − 45.4 − 39.7 = 756.9 pt. Page 1: 100..421 pt, 321 / 756.9 = 0.424;
    // page 2: ink only in the header's margin (0); page 3: lines at 100 and 780 pt, 681 / 756.9 = 0.900.
    writeFileSync(
      file,
      handMadePdf([
        [[100, 421]],
        [[10, 30]],
        [
          [100, 101],
          [780, 781]
        ]
      ])
    );
    const fills = pdfPageFills(file, {top: 16, bottom: 14});
    expect(fills).toHaveLength(3);
    // 30 dpi rounds each edge to a row (2.4 pt): within 0.01 of the exact share.
    expect(Math.abs(fills[0]! - 321 / 756.9)).toBeLessThan(0.01);
    expect(fills[1]).toBe(0);
    expect(Math.abs(fills[2]! - 681 / 756.9)).toBeLessThan(0.01);
  });
});
