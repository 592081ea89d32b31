/** The latest confirmed swing high (see _lib/swing.ts). */
import { swingIndicator } from "./_lib/swing.ts";

export const swingHigh = swingIndicator("swing_high");
