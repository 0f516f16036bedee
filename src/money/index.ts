export { addDecimals, compareDecimals, normalizeDecimal } from "./normalize-decimal.js";
export { type ExactDecimal, isDecimal, parseDecimal } from "./parse-decimal.js";
export { fromMinorUnits, toMinorUnits } from "./to-minor-units.js";
