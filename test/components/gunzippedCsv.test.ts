import {gzipSync} from "node:zlib";
import {describe, expect, it} from "vitest";
import {gunzippedCsv, gunzippedCsvRows, gunzippedJson, type AttachedFile} from "../../src/components/gunzippedCsv.js";

/**
 * A gzipped attachment as Framework's FileAttachment gives one: its bytes behind a URL (here a data: URL); with
 * `gzipped` false, the text itself, as a host that sends the file with Content-Encoding: gzip has the browser get it.
 */
function attached(name: string, text: string, gzipped = true): AttachedFile {
  const url = `data:application/gzip;base64,${(gzipped ? gzipSync(text) : Buffer.from(text)).toString("base64")}`;
  return {name, mimeType: "application/gzip", url: async () => url, arrayBuffer: () => Promise.reject()};
}

// A number, a boolean, a date, an empty value and a string that only looks like a number, in two rows.
const csv = "id,n,paid,day,note\nc1,12.5,true,2025-06-30,\nc2,-3,false,,007x\n";

describe("gunzippedCsvRows(file, {typed})", () => {
  it("parses the gunzipped CSV as FileAttachment.csv does: strings, or with {typed: true} d3.autoType's values", async () => {
    const rows = await gunzippedCsvRows(attached("x.csv.gz", csv));
    expect([...rows]).toEqual([
      {id: "c1", n: "12.5", paid: "true", day: "2025-06-30", note: ""},
      {id: "c2", n: "-3", paid: "false", day: "", note: "007x"}
    ]);
    expect(rows.columns).toEqual(["id", "n", "paid", "day", "note"]);
    // autoType: a date-only string is UTC midnight, an empty value null.
    const typed = await gunzippedCsvRows(attached("x.csv.gz", csv), {typed: true});
    expect([...typed]).toEqual([
      {id: "c1", n: 12.5, paid: true, day: new Date(Date.UTC(2025, 5, 30)), note: null},
      {id: "c2", n: -3, paid: false, day: null, note: "007x"}
    ]);
  });
});

describe("gunzippedJson(file) and gunzippedCsv(file)", () => {
  it("give the gunzipped JSON's value, and the CSV's text under the name without .gz", async () => {
    expect(await gunzippedJson(attached("s.json.gz", '{"a":[1,null,"x"]}\n'))).toEqual({a: [1, null, "x"]});
    const file = gunzippedCsv(attached("x.csv.gz", csv));
    expect([file.name, file.mimeType]).toEqual(["x.csv", "text/csv"]);
    expect(new TextDecoder().decode(await file.arrayBuffer())).toBe(csv);
  });

  it("take bytes that are not gzip as they are: a host that sent the file with Content-Encoding: gzip", async () => {
    expect(await gunzippedJson(attached("s.json.gz", "[1, 2]", false))).toEqual([1, 2]);
    expect((await gunzippedCsvRows(attached("x.csv.gz", csv, false))).map((row) => (row as {id: string}).id)).toEqual([
      "c1",
      "c2"
    ]);
  });
});
