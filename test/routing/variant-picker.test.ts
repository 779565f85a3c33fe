import { describe, expect, test } from "bun:test";
import { stickyPoint } from "../../src/routing/sticky-hash.ts";
import { PercentSampler, VariantPicker } from "../../src/routing/variant-picker.ts";

/** Share of each index among `picks`, in percent. */
function shares(picks: number[], variants: number): number[] {
  const counts = new Array<number>(variants).fill(0);
  for (const pick of picks) counts[pick]!++;
  return counts.map((count) => (100 * count) / picks.length);
}

describe("weights without a sticky key (smooth weighted round robin)", () => {
  test("10,000 picks land exactly on the weights, interleaved", () => {
    const picker = new VariantPicker([70, 20, 10], "m");
    const picks = Array.from({ length: 10_000 }, () => picker.pick());
    expect(shares(picks, 3)).toEqual([70, 20, 10]);
    // Interleaved: in any 10 consecutive picks, the 10 % variant appears exactly once.
    for (let start = 0; start + 10 <= picks.length; start += 10) {
      expect(picks.slice(start, start + 10).filter((pick) => pick === 2).length).toBe(1);
    }
  });

  test("a weight of 0 is never picked; fractional weights work", () => {
    const picker = new VariantPicker([0, 2.5, 7.5], "m");
    const picks = Array.from({ length: 1000 }, () => picker.pick());
    expect(shares(picks, 3)).toEqual([0, 25, 75]);
  });

  test("no weight above 0 is refused", () => {
    expect(() => new VariantPicker([0, 0], "m")).toThrow(RangeError);
  });
});

describe("weights with a sticky key (hash of the key)", () => {
  test("10,000 distinct keys land within ±2 % of the weights", () => {
    const picker = new VariantPicker([90, 10], "iris");
    const picks = Array.from({ length: 10_000 }, (_, i) => picker.pick(`user-${i}`));
    const [first, second] = shares(picks, 2);
    expect(Math.abs(first! - 90)).toBeLessThanOrEqual(2);
    expect(Math.abs(second! - 10)).toBeLessThanOrEqual(2);
  });

  test("one key always gets one variant, in this process and in a new one (a fresh picker, as after a restart)", () => {
    const picker = new VariantPicker([50, 50], "iris");
    const restarted = new VariantPicker([50, 50], "iris");
    for (const key of ["alice", "bob", "carol", "user-42", "ünïcødé ✓"]) {
      const first = picker.pick(key);
      for (let i = 0; i < 20; i++) expect(picker.pick(key)).toBe(first);
      expect(restarted.pick(key)).toBe(first);
    }
  });

  test("sticky picks do not disturb the round robin of unkeyed requests", () => {
    const picker = new VariantPicker([50, 50], "m");
    const unkeyed: number[] = [];
    for (let i = 0; i < 100; i++) {
      picker.pick(`key-${i}`);
      unkeyed.push(picker.pick());
    }
    expect(shares(unkeyed, 2)).toEqual([50, 50]);
  });

  test("the hash is a fixed function: known values on every machine, and the model name salts it", () => {
    expect(stickyPoint("iris", "user-42")).toBe(stickyPoint("iris", "user-42"));
    expect(stickyPoint("iris", "user-42")).not.toBe(stickyPoint("churn", "user-42"));
    // Pinned, and written out a second time below, so that a change of the function (which would
    // move every caller to another variant) fails here.
    expect(stickyPoint("", "")).toBe(0.02137250336818397);
    expect(stickyPoint("iris", "user-42")).toBe(0.4849601346068084);
    for (const [salt, key] of [["", ""], ["iris", "user-42"], ["m", "ünïcødé ✓"]] as const) {
      expect(stickyPoint(salt, key)).toBe(stickyPointOf(salt, key));
    }
  });
});

describe("shadow percent", () => {
  test("takes exactly that share, evenly spaced", () => {
    for (const percent of [0, 10, 33, 50, 100]) {
      const sampler = new PercentSampler(percent);
      const taken = Array.from({ length: 1000 }, () => sampler.take()).filter(Boolean).length;
      expect(taken).toBe(Math.floor(10 * percent));
    }
  });
});

/** The same function written out independently, byte by byte, as another replica might. */
function stickyPointOf(salt: string, key: string): number {
  let hash = 2166136261;
  for (const byte of Buffer.from(`${salt}\u0000${key}`, "utf8")) hash = Math.imul(hash ^ byte, 16777619);
  hash = Math.imul(hash ^ (hash >>> 16), 2246822507);
  hash = Math.imul(hash ^ (hash >>> 13), 3266489909);
  return ((hash ^ (hash >>> 16)) >>> 0) / 4294967296;
}
