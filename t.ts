import { interpolate } from "./src/core/config/interpolate.ts";
console.log(interpolate("$${NOT_A_VAR}", {}, true), interpolate("a ${X:-q} $${Y}", {}, true));
