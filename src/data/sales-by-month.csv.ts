// Monthly first and repeat purchases of the bundled CDNOW sample: the index page's first chart.
import {cdnowSalesByPeriodCsv} from "../../loaders/cdnowDailySales.js";
import {bundledCdnowSample} from "./sources.js";

process.stdout.write(await cdnowSalesByPeriodCsv(bundledCdnowSample, "month"));
