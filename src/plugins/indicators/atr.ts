/** Wilder's average true range (_lib/atr.ts). The original used a plain mean of true ranges. */
import { atrIndicator } from "./_lib/atr.ts";

export const atr = atrIndicator("atr", "Wilder's average true range (default period 14).");
