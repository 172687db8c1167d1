// The site's data: summaries of $CUSTOMER_EQUITY_SOURCE, or of the bundled demo business
// (loaders/source/source.ts, loaders/site/archive.ts). Pages read its members as data/source/<file>.
import {writeSiteArchive} from "../../loaders/site/archive.js";
import {readSettings, SettingError} from "../../loaders/settings.js";
import {FatalInputError} from "../../loaders/stage.js";
import {WarehouseError} from "../../loaders/source/postgres/connection.js";
import {redact, secretsOf} from "../../loaders/source/postgres/redact.js";

try {
  // Progress (a warehouse's queries: rows and seconds each) goes to the build's log.
  await writeSiteArchive(readSettings(), process.stdout, (line) => console.error(`source: ${line}`));
} catch (error) {
  // A source that cannot make a site (missing, empty, no purchases, a bad setting): one
  // plain sentence in the build's log, not a stack trace.
  if (!(error instanceof FatalInputError || error instanceof SettingError || error instanceof WarehouseError))
    throw error;
  const source = process.env.CUSTOMER_EQUITY_SOURCE ?? "";
  console.error(`source: ${redact(error.message, source ? secretsOf(source) : [])}`);
  process.exit(1);
}
