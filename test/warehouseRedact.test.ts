// Telling sources apart, and keeping a warehouse password out of messages (hand-made cases).
import {describe, expect, it} from "vitest";
import {sourceKind, withSession} from "../loaders/source/source.js";
import {redact, secretsOf} from "../loaders/source/postgres/redact.js";
import {testSettings} from "./settings.js";

describe("sourceKind(source)", () => {
  it("takes postgres:// and postgresql:// URLs for warehouses and anything else for a folder", () => {
    expect(sourceKind("postgres://u:p@db.example:5432/shop")).toBe("postgres");
    expect(sourceKind("PostgreSQL://db/shop")).toBe("postgres");
    expect(sourceKind(".local/cdnow")).toBe("folder");
    expect(sourceKind("/data/postgres://not-a-url")).toBe("folder");
  });
});

describe("secretsOf(url, env) and redact(text, secrets)", () => {
  it("finds the URL's password as written and decoded, and $PGPASSWORD", () => {
    expect(secretsOf("postgres://reader:p%40ss@127.0.0.1:5/shop", {PGPASSWORD: "envpw"})).toEqual([
      "envpw",
      "p%40ss",
      "p@ss"
    ]);
    expect(secretsOf("postgres://reader@127.0.0.1/shop", {})).toEqual([]);
  });

  it("replaces every secret, the longest first, and any URL's password", () => {
    expect(redact("failed for p@ssword and p@ss", ["p@ss", "p@ssword"])).toBe("failed for *** and ***");
    expect(redact("cannot read postgres://reader:whatever@host/db or postgresql://x:y@h", [])).toBe(
      "cannot read postgres://reader:***@host/db or postgresql://x:***@h"
    );
    expect(redact("postgres://reader@host:5432/db", [])).toBe("postgres://reader@host:5432/db");
  });
});

describe("withSession(settings) on a URL it cannot read", () => {
  it("says so without the password", async () => {
    await expect(withSession(testSettings("postgres://reader:Hunter2-secret@[db/shop"), async () => 0)).rejects.toThrow(
      /^cannot read the connection URL postgres:\/\/reader:\*\*\*@\[db\/shop: Invalid URL$/
    );
  });
});
