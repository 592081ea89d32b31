/** Average daily volume over the last `period` days (a historical indicator, computed before each session). */
import { rollingMeanIndicator } from "./_lib/rolling-mean.ts";

export const avgVolume = rollingMeanIndicator({ name: "avg_volume", description: "Mean daily volume over `period` days (default 20).", of: "volume", defaultPeriod: 20 });
