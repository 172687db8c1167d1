// How full the printed pages of a PDF are, so that a report with a mostly empty page can be
// caught: poppler's pdftoppm renders each page in grey (PGM), and a page's fill is the share
// of its printable height (the page less its top and bottom margins, where the header and
// footer sit) from its first printed row to its last. A row is printed when any pixel in it
// is darker than paper white (below 97 % of white: text, lines, charts, and the light grey
// of a card's background, which counts as used space). Gaps between the first and the last
// printed row count as used: they are the layout's spacing, not an empty page.
import {execFileSync} from "node:child_process";
import {mkdtempSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

/** A grey image: one byte per pixel, row by row, 0 black to maxValue white. */
export interface GreyImage {
  width: number;
  height: number;
  maxValue: number;
  pixels: Uint8Array;
}

/** Reads a binary PGM (P5, one byte a pixel), as pdftoppm -gray writes it (netpbm's pgm(5) format). */
export function parsePgm(bytes: Uint8Array): GreyImage {
  // Header: "P5", width, height, maxval, separated by whitespace (comments start with #), then one whitespace byte.
  const fields: number[] = [];
  let i = 2;
  if (bytes[0] !== 0x50 || bytes[1] !== 0x35) throw new Error("not a binary PGM (P5)");
  while (fields.length < 3) {
    while (i < bytes.length && /\s/.test(String.fromCharCode(bytes[i]!))) i++;
    if (bytes[i] === 0x23) {
      while (i < bytes.length && bytes[i] !== 0x0a) i++;
      continue;
    }
    let digits = "";
    while (i < bytes.length && /\d/.test(String.fromCharCode(bytes[i]!))) digits += String.fromCharCode(bytes[i++]!);
    if (!digits) throw new Error("PGM header: expected a number");
    fields.push(Number(digits));
  }
  const [width, height, maxValue] = fields as [number, number, number];
  if (maxValue > 255) throw new Error("PGM: only one byte a pixel is read");
  const pixels = bytes.subarray(i + 1, i + 1 + width * height);
  if (pixels.length !== width * height) throw new Error(`PGM: ${pixels.length} pixels for ${width} × ${height}`);
  return {width, height, maxValue, pixels};
}

/** Below this share of white a pixel is printed (see the top of this file). */
const paperWhite = 0.97;

/**
 * The share of an image's rows, between `top` and `bottom` rows of margin, from the first
 * printed row to the last (0 when none is printed).
 */
export function pageFill({width, height, maxValue, pixels}: GreyImage, {top = 0, bottom = 0} = {}): number {
  const printed = (row: number) => {
    for (let x = 0; x < width; x++) if (pixels[row * width + x]! < maxValue * paperWhite) return true;
    return false;
  };
  const [from, to] = [top, height - bottom];
  let first = from;
  while (first < to && !printed(first)) first++;
  if (first === to) return 0;
  let last = to - 1;
  while (!printed(last)) last--;
  return (last - first + 1) / (to - from);
}

/**
 * Each page's fill in a PDF, rendered at dpi (30 by default: enough to see a line of text,
 * fast on many pages); margins in millimetres.
 */
export function pdfPageFills(file: string, margins: {top: number; bottom: number}, dpi = 30): number[] {
  const dir = mkdtempSync(join(tmpdir(), "page-fill-"));
  try {
    execFileSync("pdftoppm", ["-gray", "-r", String(dpi), file, join(dir, "page")]);
    // pdftoppm numbers pages page-1.pgm … or page-01.pgm …, padded to the count's digits.
    const pages = readdirSync(dir).sort((a, b) => pageNumber(a) - pageNumber(b));
    const rows = (mm: number) => Math.round((mm / 25.4) * dpi);
    return pages.map((name) =>
      pageFill(parsePgm(readFileSync(join(dir, name))), {top: rows(margins.top), bottom: rows(margins.bottom)})
    );
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

const pageNumber = (name: string) => Number(/-(\d+)\.pgm$/.exec(name)?.[1]);
