// Framework's resize() first measures a card not yet in the page as 0 wide, and a Plot
// frame narrower than its margins inverts the x range (negative bar widths, console errors).

/** No chart gets narrower than this. */
export const minChartWidth = 360;

/** The width a chart is drawn at: the measured width, but never below minChartWidth. */
export const chartWidth = (width: number) => Math.max(width, minChartWidth);
