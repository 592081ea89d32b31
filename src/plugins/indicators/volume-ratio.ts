/** Volume ratio: the bar's volume over the mean volume of the last `period` bars (itself included); 1 when that mean is 0. */
import { rollingMeanIndicator } from "./_lib/rolling-mean.ts";

export const volumeRatio = rollingMeanIndicator({ name: "volume_ratio", description: "Volume over its `period`-bar mean (default 20).", of: "volume", ratio: true, defaultPeriod: 20 });
