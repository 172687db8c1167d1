// The pages' specs (src/core/pages.ts) against what the site really has: the files each page's Markdown reads (the
// files the demo's archive holds: test/site.test.ts, which runs the demo's data loader).
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import ts from "typescript";
import {describe, expect, it} from "vitest";
import {pages, sharedFiles} from "../src/core/pages.js";
import {projectDir} from "./site.js";

const named = new Set<string>([...sharedFiles, ...pages.flatMap((page) => page.files)]);

/** The pages' Markdown files, relative to src/ (Framework's cache left out). */
const pageSources = () =>
  readdirSync(join(projectDir, "src"), {recursive: true, encoding: "utf-8"}).filter(
    (file) => file.endsWith(".md") && !file.startsWith(".observablehq")
  );

/**
 * Words a manager should not meet in a page's text: model names, parameter and fit terms,
 * authors and references (these belong in the page's collapsed Method section), and the
 * project's internal words (table and file names, environment variables, jargon).
 */
const methodWords: readonly RegExp[] = [
  /BG\/NBD/,
  /Pareto\/NBD/,
  /Gamma-Gamma/,
  /log-likelihood/i,
  /\bconverged\b/i,
  /standard errors?\b/i,
  /[αν]/,
  /Gupta|Lehmann|\bHsu\b|Fader|Hardie|Reinartz|Kumar|Reichheld|Sasser|Kotler/,
  /\bet al\b/
];
const internalWords: readonly RegExp[] = [/\bseeds?'|\bseeded\b/i, /CUSTOMER_EQUITY_\w*/, /\b[\w-]+\.json\b/];
/** The canonical and derived tables' names: internal everywhere but on the explore page, where the reader queries them. */
const tableWords = /\b(?:customer_summary|customer_clv|customer_months|retention_days|canonical_\w+)\b/;

/**
 * The text of a page a reader meets without opening its Method section: its Markdown less
 * the front matter, the code cells, HTML comments, styles and any `<details>` whose summary
 * is "Method" (inline ${…} expressions stay: what they write is text on the page).
 */
function readerText(markdown: string): string {
  return markdown
    .replace(/^---\n[\s\S]*?\n---\n/, "")
    .replace(/^```[\s\S]*?^```/gm, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<style>[\s\S]*?<\/style>/g, "")
    .replace(/<details[^>]*>\s*<summary>Method<\/summary>[\s\S]*?<\/details>/g, "");
}

/** The words of `words` that `text` holds, each as written. */
const found = (text: string, words: readonly RegExp[]) =>
  words.flatMap((word) => [...text.matchAll(new RegExp(word.source, `${word.flags}g`))].map((match) => match[0]));

describe("the pages' specs", () => {
  it("name every file a page reads (FileAttachment in src/**/*.md)", () => {
    const markdown = pageSources();
    expect(markdown.length).toBeGreaterThanOrEqual(pages.length);
    const unnamed = markdown.flatMap((file) =>
      [...readFileSync(join(projectDir, "src", file), "utf-8").matchAll(/data\/source\/([\w.-]+)"/g)]
        .map((match) => match[1]!)
        .filter((name) => !named.has(name))
        .map((name) => `${file} reads ${name}`)
    );
    expect(unnamed).toEqual([]);
    // A gzipped file is read through src/components/gunzippedCsv.ts: FileAttachment would hand a page its gzip bytes.
    const gzipped = markdown.flatMap((file) =>
      [...readFileSync(join(projectDir, "src", file), "utf-8").matchAll(/(?:(\w+)\()?FileAttachment\("[^"]*\.gz"\)/g)]
        .filter((match) => !["gunzippedCsv", "gunzippedCsvRows", "gunzippedJson"].includes(match[1] ?? ""))
        .map((match) => `${file}: ${match[0]}`)
    );
    expect(gzipped).toEqual([]);
  });

  it("leave money to formatMoney in the source's currency: no page writes a currency sign of its own", () => {
    const pagesWithSign = pageSources().flatMap((file) =>
      readFileSync(join(projectDir, "src", file), "utf-8")
        .split("\n")
        .flatMap((line, i) => (/\$\$\{|[£€¥]\$?\{|\$\d/.test(line) ? [`${file}:${i + 1}`] : []))
    );
    expect(pagesWithSign).toEqual([]);
  });

  it("keep each expression cell an expression: Framework displays a js cell of one expression only without a closing semicolon", () => {
    const hidden = pageSources().flatMap((file) =>
      [...readFileSync(join(projectDir, "src", file), "utf-8").matchAll(/```js[^\n]*\n([\s\S]*?)```/g)].flatMap(
        ([, code], i) => {
          const {statements} = ts.createSourceFile("cell.js", code!, ts.ScriptTarget.Latest);
          const expression = statements.length === 1 && ts.isExpressionStatement(statements[0]!);
          return expression && code!.trim().endsWith(";") ? [`${file}: js cell ${i + 1}`] : [];
        }
      )
    );
    expect(hidden).toEqual([]);
  });

  it("leave model terms, references and internal words to each page's Method section", () => {
    const offending = pageSources().flatMap((file) => {
      const text = readerText(readFileSync(join(projectDir, "src", file), "utf-8"));
      const words = [
        ...found(text, methodWords),
        ...found(text, internalWords),
        ...(file === "explore.md" ? [] : found(text, [tableWords]))
      ];
      return words.map((word) => `${file}: ${word}`);
    });
    expect(offending).toEqual([]);
  });

  it("readerText(markdown) keeps the prose and inline expressions and drops code, comments and the Method section", () => {
    const page = [
      "---\ntitle: BG/NBD\n---",
      "```js\nconst fit = FileAttachment('data/source/equity.json').json()\n```",
      "How likely a customer is to still be buying ${`(Gamma-Gamma)`}.",
      "<!-- customer_summary -->",
      "<details>\n<summary>Method</summary>\n\nBG/NBD (Fader, Hardie & Lee 2005), log-likelihood.\n</details>",
      "<details open>\n<summary>Filters</summary>\n\nSeeds' advice.\n</details>"
    ].join("\n\n");
    const text = readerText(page);
    expect(found(text, methodWords)).toEqual(["Gamma-Gamma"]);
    expect(found(text, internalWords)).toEqual(["Seeds'"]);
    expect(found(text, [tableWords])).toEqual([]);
    expect(text).toContain("How likely a customer is to still be buying");
  });

  it('give no input step: "any": Inputs reads it as NaN, the browser then checks against a step of 1 and refuses 0.25', () => {
    const anySteps = pageSources().flatMap((file) =>
      readFileSync(join(projectDir, "src", file), "utf-8")
        .split("\n")
        .flatMap((line, i) => (/step:\s*["']any["']/.test(line) ? [`${file}:${i + 1}`] : []))
    );
    expect(anySteps).toEqual([]);
  });
});
