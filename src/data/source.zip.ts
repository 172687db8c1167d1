// The site's data: summaries of $CUSTOMER_EQUITY_SOURCE, or of the bundled demo business
// (loaders/siteSource.ts, loaders/siteArchive.ts). Pages read its members as data/source/<file>.
import {siteArchive} from "../../loaders/siteArchive.js";
import {withSiteSource} from "../../loaders/siteSource.js";

process.stdout.write(await withSiteSource(siteArchive));
