/** Range ratio (historical): the last day's range over the mean range of the last `period` days (itself included); 1 when that mean is 0. */
import { rollingMeanIndicator } from "./_lib/rolling-mean.ts";

export const rangeRatio = rollingMeanIndicator({ name: "range_ratio", description: "The last day's range over its `period`-day mean range (default 20); > 1 means expansion.", of: "range", ratio: true, defaultPeriod: 20 });
