import { stickyPoint } from "./sticky-hash.ts";

/**
 * Chooses among weighted variants. With a sticky key, the key's hash picks (the same key always
 * lands on the same variant while the weights stay); without one, smooth weighted round robin
 * (nginx's) spreads requests exactly by weight, interleaved, with no randomness.
 *
 * @example
 * const picker = new VariantPicker([90, 10], "iris");
 * picker.pick();          // 0, 0, 0, …, 1 once in every 10
 * picker.pick("user-42"); // always the same index
 */
export class VariantPicker {
  private readonly cumulative: number[] = [];
  private readonly current: number[];
  private readonly total: number;

  constructor(
    private readonly weights: readonly number[],
    /** Mixed into sticky keys so that one key falls independently in each model's split. */
    private readonly salt: string,
  ) {
    let sum = 0;
    for (const weight of weights) this.cumulative.push((sum += weight));
    this.total = sum;
    if (!(this.total > 0)) throw new RangeError("at least one weight must be above 0");
    this.current = weights.map(() => 0);
  }

  /** The index of the variant that takes this request. */
  pick(stickyKey?: string): number {
    if (stickyKey !== undefined) {
      const point = stickyPoint(this.salt, stickyKey) * this.total;
      const index = this.cumulative.findIndex((bound) => point < bound);
      return index >= 0 ? index : this.lastWeighted();
    }
    let best = -1;
    for (let i = 0; i < this.weights.length; i++) {
      this.current[i]! += this.weights[i]!;
      if (this.weights[i]! > 0 && (best < 0 || this.current[i]! > this.current[best]!)) best = i;
    }
    this.current[best]! -= this.total;
    return best;
  }

  private lastWeighted(): number {
    for (let i = this.weights.length - 1; i >= 0; i--) if (this.weights[i]! > 0) return i;
    return 0;
  }
}

/**
 * Takes `percent` of calls, evenly spaced (every other one at 50 %, one in ten at 10 %), with
 * no randomness.
 */
export class PercentSampler {
  private count = 0;

  constructor(private readonly percent: number) {}

  /** True when this call is one of the chosen. */
  take(): boolean {
    const before = Math.floor((this.count * this.percent) / 100);
    this.count++;
    return Math.floor((this.count * this.percent) / 100) > before;
  }
}
