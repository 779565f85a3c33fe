/**
 * IEEE 754 half precision (FP16) ↔ JS number. FP16 tensors travel as Uint16Array of raw bits
 * because `Float16Array` is missing from older runtimes (Node 18) and from {@link TensorData}.
 */

/** Largest finite FP16 value. */
export const FLOAT16_MAX = 65504;

// Values at or beyond this magnitude round to Infinity (halfway between 65504 and 2^16, ties to even).
const FLOAT16_OVERFLOW = 65520;
const SUBNORMAL_STEP = 2 ** -24;
const MIN_NORMAL = 2 ** -14;

/** Rounds to the nearest integer, ties to even, as IEEE 754 does by default. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Whether a finite number becomes Infinity when stored as FP16.
 *
 * @example
 * overflowsFloat16(70000); // true
 */
export function overflowsFloat16(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) >= FLOAT16_OVERFLOW;
}

/**
 * Rounds a number to FP16 (nearest, ties to even) and returns the 16 raw bits. Works from the
 * double directly: going through float32 first would round twice and can be off by one ulp.
 *
 * @example
 * toFloat16Bits(1); // 0x3c00
 */
export function toFloat16Bits(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const abs = Math.abs(value);
  if (abs >= FLOAT16_OVERFLOW) return sign | 0x7c00;
  // Subnormals (and zero): multiples of 2^-24; a mantissa of 1024 is exactly the smallest normal.
  if (abs < MIN_NORMAL) return sign | roundHalfEven(abs / SUBNORMAL_STEP);
  let exponent = Math.floor(Math.log2(abs));
  // log2 can be off by one near powers of two; fix it so that 2^exponent <= abs < 2^(exponent+1).
  if (2 ** exponent > abs) exponent -= 1;
  else if (2 ** (exponent + 1) <= abs) exponent += 1;
  const mantissa = roundHalfEven((abs / 2 ** exponent - 1) * 1024);
  // A mantissa rounded up to 1024 carries into the exponent, which is the correct result.
  return sign | (((exponent + 15) << 10) + mantissa);
}

/**
 * Reads 16 raw FP16 bits as a number.
 *
 * @example
 * fromFloat16Bits(0x3c00); // 1
 */
export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * SUBNORMAL_STEP;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
