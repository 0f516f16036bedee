/**
 * A small seeded PRNG (mulberry32, public domain) so a sample run can be replayed from its seed:
 * `send --seed 42` sends the same notifications every time. Not for anything secret.
 */
export type Random = () => number;

/** Turns a number or a string seed into a 32-bit integer (FNV-1a for strings). */
function seedToInt(seed: number | string): number {
  if (typeof seed === "number") return Math.trunc(seed) >>> 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Returns a function giving reproducible floats in [0, 1) for a seed. */
export function seededRandom(seed: number | string): Random {
  let state = seedToInt(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max], both inclusive. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] as T;
}
