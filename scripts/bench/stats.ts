import { at } from "../../shared/src/checked.js";

/** The middle of a list of timings (the upper middle for an even count). */
export const median = (xs: number[]): number => at([...xs].sort((a, b) => a - b), Math.floor(xs.length / 2), "timings");
