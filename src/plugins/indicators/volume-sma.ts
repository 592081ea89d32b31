/** Simple moving average of volume over `period` bars. */
import { rollingMeanIndicator } from "./_lib/rolling-mean.ts";

export const volumeSma = rollingMeanIndicator({ name: "volume_sma", description: "Simple moving average of volume over `period` bars (default 20).", of: "volume", defaultPeriod: 20 });
