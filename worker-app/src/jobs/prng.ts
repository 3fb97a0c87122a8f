/**
 * A small deterministic pseudo-random generator (a Weyl sequence through a 32-bit integer hash).
 * Demo data must be the same on every machine and every run, so it never uses `Math.random`.
 */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Derives an independent generator for one element of a data set, e.g. one account. */
  static for(seed: number, index: number): SeededRandom {
    return new SeededRandom(mix(mix(seed) ^ Math.imul(index + 1, 0x27d4eb2d)));
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x9e3779b9) >>> 0;
    return mix(this.#state) / 0x1_0000_0000;
  }

  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
}

function mix(value: number): number {
  let z = value >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
