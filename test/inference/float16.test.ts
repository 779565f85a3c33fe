import { describe, expect, test } from "bun:test";
import { FLOAT16_MAX, fromFloat16Bits, overflowsFloat16, toFloat16Bits } from "../../src/inference/float16.ts";

// Bun has Float16Array; it is the reference the hand-written conversion must agree with.
const reference = (value: number) => new Uint16Array(new Float16Array([value]).buffer)[0]!;

describe("toFloat16Bits", () => {
  test("known values", () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(FLOAT16_MAX)).toBe(0x7bff);
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(toFloat16Bits(2 ** -14)).toBe(0x0400);
    expect(toFloat16Bits(-0)).toBe(0x8000);
    expect(toFloat16Bits(NaN)).toBe(0x7e00);
    expect(toFloat16Bits(-Infinity)).toBe(0xfc00);
  });

  test("ties round to even, as IEEE does", () => {
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // halfway between 1 and its successor: stays even
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(toFloat16Bits(2 ** -25)).toBe(0); // half the smallest subnormal rounds to zero
    expect(toFloat16Bits(65519)).toBe(0x7bff);
    expect(toFloat16Bits(65520)).toBe(0x7c00);
  });

  test("agrees with Float16Array on 20,000 values across the range", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      const value = (random() - 0.5) * 2 ** (Math.floor(random() * 44) - 28);
      expect(toFloat16Bits(value)).toBe(reference(value));
    }
  });
});

describe("fromFloat16Bits", () => {
  test("every one of the 65,536 bit patterns reads as Float16Array reads it", () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const halves = new Float16Array(all.buffer);
    for (let bits = 0; bits < 65536; bits++) {
      expect(Object.is(fromFloat16Bits(bits), halves[bits]) || (Number.isNaN(fromFloat16Bits(bits)) && Number.isNaN(halves[bits]!))).toBe(true);
    }
  });

  test("round trip of every finite half value", () => {
    for (let bits = 0; bits < 0x7c00; bits++) {
      expect(toFloat16Bits(fromFloat16Bits(bits))).toBe(bits);
      expect(toFloat16Bits(fromFloat16Bits(bits | 0x8000))).toBe(bits | 0x8000);
    }
  });
});

test("overflowsFloat16", () => {
  expect(overflowsFloat16(65519.99)).toBe(false);
  expect(overflowsFloat16(-65520)).toBe(true);
  expect(overflowsFloat16(Infinity)).toBe(false);
});
