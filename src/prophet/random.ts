/**
 * A small seeded random source for the uncertainty simulation: xoshiro128** (32-bit state words,
 * fast with Math.imul) seeded through splitmix32, with uniform, normal and Laplace draws. The
 * same seed gives the same sequence on every platform; it is not numpy's generator, so Prophet's
 * own draws are not reproduced bit for bit.
 */

/** A seeded source of random numbers. */
export interface RandomSource {
  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number;
  /** Normal with mean 0 and standard deviation `sd`. */
  normal(sd: number): number;
  /** Laplace with location 0 and scale `b` (numpy.random.laplace(0, b)). */
  laplace(b: number): number;
}

/**
 * Creates a random source from an integer seed (any safe integer; the same seed, the same draws).
 *
 * @example
 * const rng = createRandom(42);
 * rng.normal(1);
 */
export function createRandom(seed: number): RandomSource {
  // State in four locals rather than a typed array: this is the simulation's innermost loop.
  let [s0, s1, s2, s3] = seedState(seed);
  let spare: number | undefined;

  const next32 = (): number => {
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  };

  const uniform = (): number => {
    const hi = next32() >>> 5; // 27 bits
    const lo = next32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  };

  const normal = (sd: number): number => {
    // Marsaglia's polar method: two normals per accepted pair, the second kept for the next call.
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z * sd;
    }
    for (;;) {
      const u = 2 * uniform() - 1;
      const v = 2 * uniform() - 1;
      const q = u * u + v * v;
      if (q > 0 && q < 1) {
        const f = Math.sqrt((-2 * Math.log(q)) / q);
        spare = v * f;
        return u * f * sd;
      }
    }
  };

  const laplace = (b: number): number => {
    // numpy's inverse-CDF form; u = 0 would give -infinity, so draw again.
    for (;;) {
      const u = uniform();
      if (u >= 0.5) return -b * Math.log(2 - 2 * u);
      if (u > 0) return b * Math.log(2 * u);
    }
  };

  return { uniform, normal, laplace };
}

/** splitmix32 over the seed's low and high 32-bit halves fills the four state words. */
function seedState(seed: number): [number, number, number, number] {
  if (!Number.isSafeInteger(seed)) throw new RangeError("seed must be a safe integer");
  let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) | 0, 0x9e3779b9);
  const s: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    s[i] = (z ^ (z >>> 16)) >>> 0;
  }
  // xoshiro must not start from all zeros.
  if (s.every((w) => w === 0)) s[0] = 1;
  return s;
}
