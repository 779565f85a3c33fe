import { describe, expect, test } from "bun:test";
import { roundToBf16, widenBf16 } from "../../src/inference/bfloat16.ts";

/** The bfloat16 bit pattern of an FP32 value: its top 16 bits. */
const top16 = (value: number) => new Uint32Array(Float32Array.of(value).buffer)[0]! >>> 16;

describe("bfloat16", () => {
  test("widening is exact: each BF16 pattern becomes the FP32 value with those top bits", () => {
    const values = [1, -2.5, 3.140625, 0, -0, 65280, 1e-38, Infinity, -Infinity];
    const bytes = new Uint8Array(values.flatMap((value) => [top16(value) & 0xff, top16(value) >> 8]));
    const widened = Array.from(widenBf16(bytes));
    expect(widened.slice(0, 6)).toEqual([1, -2.5, 3.140625, 0, -0, 65280]);
    expect(widened[6]).toBe(Math.fround(new Float32Array(new Uint32Array([top16(1e-38) << 16]).buffer)[0]!));
    expect(widened.slice(7)).toEqual([Infinity, -Infinity]);
    expect(Number.isNaN(widenBf16(new Uint8Array([0xc0, 0x7f]))[0])).toBe(true);
  });

  test("rounding goes to the nearest BF16, ties to even; NaN stays NaN; infinities stay", () => {
    // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to the even one, 1.
    // 1 + 3 * 2^-8 is halfway between 1 + 2^-7 and 1 + 2^-6: ties to the even one, 1 + 2^-6.
    const rounded = Array.from(roundToBf16(Float32Array.of(1 + 2 ** -8, 1 + 3 * 2 ** -8, 5.1, 0.2, Infinity, -Infinity, NaN)));
    expect(rounded.slice(0, 6)).toEqual([1, 1 + 2 ** -6, 5.09375, 0.2001953125, Infinity, -Infinity]);
    expect(Number.isNaN(rounded[6])).toBe(true);
    // Every result is a BF16 value: its low 16 bits are zero.
    const bits = new Uint32Array(roundToBf16(Float32Array.of(0.1, 123.456, -7.77e-20)).buffer);
    expect(Array.from(bits, (value) => value & 0xffff)).toEqual([0, 0, 0]);
  });
});
