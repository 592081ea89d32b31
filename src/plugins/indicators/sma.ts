/** Simple moving average of closes over `period` bars. */
import { rollingMeanIndicator } from "./_lib/rolling-mean.ts";

export const sma = rollingMeanIndicator({ name: "sma", description: "Simple moving average of the close over `period` bars (default 20).", of: "close", defaultPeriod: 20 });
