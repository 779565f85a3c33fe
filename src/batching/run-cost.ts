/**
 * What a model's runs cost, learnt from the runs themselves: milliseconds per unit of padded size
 * (rows × the longest row's length), averaged over the last runs. It bounds the size of the next
 * batch so that a run stays within a time: for a DistilBERT-sized model on 2 cores, 100 ms is
 * about 128 padded tokens (past which a bigger batch is no cheaper per text, only longer to wait
 * for); for a tiny model it is thousands of rows, no limit at all in practice.
 *
 * @example
 * const cost = new RunCost();
 * cost.record(96, 75); // a run of 4 texts of 24 tokens took 75 ms
 * cost.maxPaddedSize(100); // 128
 */
export class RunCost {
  private msPerUnit: number | undefined;

  /** Weight of the newest run in the average. */
  private static readonly WEIGHT = 0.2;

  record(paddedSize: number, ms: number): void {
    if (!(paddedSize > 0) || !(ms >= 0)) return;
    const sample = ms / paddedSize;
    this.msPerUnit = this.msPerUnit === undefined ? sample : this.msPerUnit * (1 - RunCost.WEIGHT) + sample * RunCost.WEIGHT;
  }

  /** The largest padded size expected to run within `maxRunMs`; undefined (no limit) before any run, or without a limit. */
  maxPaddedSize(maxRunMs: number | undefined): number | undefined {
    if (maxRunMs === undefined || this.msPerUnit === undefined || this.msPerUnit <= 0) return undefined;
    return Math.max(1, Math.floor(maxRunMs / this.msPerUnit));
  }
}
