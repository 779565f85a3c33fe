/**
 * Seeded pseudo-random numbers for synthetic data: integer arithmetic only, so every engine
 * and platform produces the same sequence.
 */

/** mulberry32: a 32-bit generator returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Approximately standard-normal noise as the sum of 12 uniforms minus 6 (Irwin–Hall):
 * no log/sqrt/cos, whose last bits may differ between math libraries.
 */
export function normalish(random: () => number): number {
  let s = 0;
  for (let i = 0; i < 12; i++) s += random();
  return s - 6;
}
