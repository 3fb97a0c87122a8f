// A seeded random source, so a failing reliability run can be repeated with RELIABILITY_SEED.

/** The seed in force: RELIABILITY_SEED, else one drawn now (print it with the test's output). */
export function suiteSeed(): number {
  const raw = process.env.RELIABILITY_SEED;
  return raw ? Number(raw) : Math.floor(Math.random() * 2 ** 31);
}

/** mulberry32 over `seed`: numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct, sorted points in [low, high) drawn from `random`. */
export function sortedPoints(random: () => number, count: number, low: number, high: number): number[] {
  return Array.from({ length: count }, () => low + random() * (high - low)).sort((a, b) => a - b);
}
