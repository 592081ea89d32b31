/** Wilder's ATR over daily bars (historical): the same computation as `atr`, on the days before the session. */
import { atrIndicator } from "./_lib/atr.ts";

export const atrDaily = atrIndicator("atr_daily", "Wilder's average true range of daily bars over `period` days (default 14).");
