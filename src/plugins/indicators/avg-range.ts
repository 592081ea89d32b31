/** Average daily range (high - low) over the last `period` days (historical). */
import { rollingMeanIndicator } from "./_lib/rolling-mean.ts";

export const avgRange = rollingMeanIndicator({ name: "avg_range", description: "Mean daily range (high - low) over `period` days (default 10).", of: "range", defaultPeriod: 10 });
