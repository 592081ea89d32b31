/** The latest confirmed swing low (see _lib/swing.ts). */
import { swingIndicator } from "./_lib/swing.ts";

export const swingLow = swingIndicator("swing_low");
