/**
 * What a model's runs cost, learnt from the runs themselves: a fixed part per run (the hop to the
 * model host and back, the pipeline's own call) and a part per unit of padded size (rows × the
 * longest row's length), fitted by least squares over the recent runs, the newest weighing most.
 *
 * - It bounds the size of the next batch so that a run stays within a time: for a
 *   DistilBERT-sized model on 2 cores, 100 ms is about 128 padded tokens (past which a bigger
 *   batch is no cheaper per text, only longer to wait for); for a tiny model it is thousands of
 *   rows, no limit at all in practice.
 * - It says how much padding is cheaper than a run of its own ({@link paddingSlack}): for the
 *   tiny demo sentiment model a run's fixed part outweighs hundreds of padded tokens, so texts
 *   of any length share its runs (measured: 3,300 against 2,800 req/s, p99 23 against 30 ms at
 *   32 connections); for the DistilBERT-sized model it is a few tokens, and the padding ratio
 *   decides.
 *
 * Until the runs differ enough in size to tell the two parts apart, the whole cost is taken as
 * per unit (no fixed part).
 *
 * @example
 * const cost = new RunCost();
 * cost.record(96, 75); // a run of 4 texts of 24 tokens took 75 ms
 * cost.maxPaddedSize(100); // 128
 */
export class RunCost {
  /** Decayed sums of the runs: weight, size, ms, size², size × ms. */
  private w = 0;
  private x = 0;
  private y = 0;
  private xx = 0;
  private xy = 0;

  /** How much each older run counts less than the next (20 runs or so weigh in). */
  private static readonly DECAY = 0.95;

  record(paddedSize: number, ms: number): void {
    if (!(paddedSize > 0) || !(ms >= 0) || !Number.isFinite(ms)) return;
    const keep = RunCost.DECAY;
    this.w = this.w * keep + 1;
    this.x = this.x * keep + paddedSize;
    this.y = this.y * keep + ms;
    this.xx = this.xx * keep + paddedSize * paddedSize;
    this.xy = this.xy * keep + paddedSize * ms;
  }

  /** Fixed ms per run and ms per padded unit; undefined before any run. */
  private fit(): { fixedMs: number; msPerUnit: number } | undefined {
    if (this.w === 0 || this.x <= 0) return undefined;
    const meanX = this.x / this.w;
    const meanY = this.y / this.w;
    const varianceX = this.xx / this.w - meanX * meanX;
    // Sizes that hardly differ cannot separate the parts: all of it per unit.
    if (varianceX > 0.01 * meanX * meanX) {
      const msPerUnit = (this.xy / this.w - meanX * meanY) / varianceX;
      const fixedMs = meanY - msPerUnit * meanX;
      if (msPerUnit > 0 && fixedMs >= 0) return { fixedMs, msPerUnit };
    }
    return { fixedMs: 0, msPerUnit: meanY / meanX };
  }

  /** The largest padded size expected to run within `maxRunMs`; undefined (no limit) before any run, or without a limit. */
  maxPaddedSize(maxRunMs: number | undefined): number | undefined {
    const fit = this.fit();
    if (maxRunMs === undefined || fit === undefined || fit.msPerUnit <= 0) return undefined;
    return Math.max(1, Math.floor((maxRunMs - fit.fixedMs) / fit.msPerUnit));
  }

  /** Padded units that cost less than one run's fixed part (0 before any run, or with none). */
  paddingSlack(): number {
    const fit = this.fit();
    return fit === undefined || fit.msPerUnit <= 0 ? 0 : fit.fixedMs / fit.msPerUnit;
  }
}
