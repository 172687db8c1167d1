// The site's data: summaries of $CUSTOMER_EQUITY_SOURCE, or of the bundled demo business
// (loaders/source/source.ts, loaders/site/archive.ts). Pages read its members as data/source/<file>.
import {writeSiteArchive} from "../../loaders/site/archive.js";
import {readSettings} from "../../loaders/settings.js";

// Progress (a warehouse's queries: rows and seconds each) goes to the build's log.
await writeSiteArchive(readSettings(), process.stdout, (line) => console.error(`source: ${line}`));
