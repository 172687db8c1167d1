// Pseudonymous customer ids: a keyed hash, so the published site cannot be joined back to
// the business's own ids by anyone without the key, while the same customer keeps the
// same pseudonym from one build to the next.
import {createHash, randomBytes} from "node:crypto";
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {literal} from "../src/core/sql/sql.js";

export const defaultKeyFile = join(import.meta.dirname, "..", ".local", "pseudonym.key");

/**
 * The key: the settings' ($CUSTOMER_EQUITY_PSEUDONYM_KEY), else the contents of
 * .local/pseudonym.key (git-ignored), which is generated (32 random bytes, hex) the first time.
 */
export function pseudonymKey(fromSettings: string | null, keyFile = defaultKeyFile): string {
  if (fromSettings) return fromSettings;
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), {recursive: true});
    writeFileSync(keyFile, `${randomBytes(32).toString("hex")}\n`, {mode: 0o600});
  }
  return readFileSync(keyFile, "utf-8").trim();
}

/**
 * SQL for the pseudonym of an id: "c" and the first 16 hex digits (64 bits) of
 * SHA-256(key ‖ 0x1F ‖ id). A secret prefix makes the hash keyed; 64 bits keep the chance
 * of any collision among a million customers below 3·10⁻⁸ (birthday bound n²/2⁶⁵).
 * The letter keeps a pseudonym text wherever a CSV reader guesses types. The id is
 * trimmed first, as loaded ids are; a blank id stays NULL.
 */
export function pseudonymSql(key: string, id: string): string {
  return `CASE WHEN nullif(trim(${id}), '') IS NULL THEN NULL ELSE 'c' || substr(sha256(${literal(`${key}\u001f`)} || trim(${id})), 1, 16) END`;
}

/** pseudonymSql's pseudonym computed here, for ids that arrive raw from a warehouse outside SQL (npm run clv --customers). */
export function pseudonym(key: string, id: string): string {
  return `c${createHash("sha256").update(`${key}\u001f${id.trim()}`).digest("hex").slice(0, 16)}`;
}
