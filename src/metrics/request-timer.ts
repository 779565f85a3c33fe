/**
 * Times one request through its stages (queue, input, infer, output) and reports it to an
 * {@link InferenceObserver}: started when the model is known, finished exactly once.
 */
import { AppError } from "../errors/app-error.ts";
import type { ComputeNs, InferenceObserver } from "./inference-observer.ts";
import type { SharedExecution } from "../batching/execution-ticket.ts";

/** The stages a request goes through, in order. */
export type Stage = "queue" | "input" | "infer" | "output";

const now = () => performance.now();
const MS_TO_NS = 1e6;

/**
 * A stopwatch for one request. `stage(name)` closes the stage under way and opens the next; the
 * time of a stage that was never opened is 0.
 *
 * @example
 * const timer = new RequestTimer(observer, "iris", "1");
 * timer.stage("queue"); const lease = await cache.acquire("iris");
 * timer.stage("input"); …; timer.stage("infer"); …; timer.stage("output"); …
 * timer.succeed(batchSize);
 */
export class RequestTimer {
  private readonly started = now();
  private readonly spent: Record<Stage, number> = { queue: 0, input: 0, infer: 0, output: 0 };
  private current: { stage: Stage; since: number } | undefined;
  private finished = false;

  constructor(
    private readonly observer: InferenceObserver,
    private readonly model: string,
    private version: string,
  ) {
    observer.requestStarted(model, version);
  }

  /** Closes the current stage and starts `next`. */
  stage(next: Stage): void {
    const at = now();
    if (this.current !== undefined) this.spent[this.current.stage] += at - this.current.since;
    this.current = { stage: next, since: at };
  }

  /** The version that answered, when it is only known once the model is acquired. */
  setVersion(version: string): void {
    this.version = version;
  }

  /**
   * Reports a success of `batchSize` inferences, and the model execution that answered it: its
   * own, or, when a batching queue ran it with others (`shared`), the batch's, reported once by
   * the request that led it.
   */
  succeed(batchSize: number, shared?: SharedExecution): void {
    const compute = this.close();
    if (compute === undefined) return;
    if (shared === undefined) this.observer.executions(this.model, this.version, batchSize, compute);
    else if (shared.leader) this.observer.executions(this.model, this.version, shared.rows, compute);
    this.report("success", undefined, compute);
  }

  /** Reports a failure; the reason is the error's code (`internal_error` for unknown errors). */
  fail(error: unknown): void {
    const compute = this.close();
    if (compute === undefined) return;
    this.report("failure", failureReason(error), compute);
  }

  private close(): ComputeNs | undefined {
    if (this.finished) return undefined;
    this.finished = true;
    this.stage("output");
    return { inputNs: this.spent.input * MS_TO_NS, inferNs: this.spent.infer * MS_TO_NS, outputNs: this.spent.output * MS_TO_NS };
  }

  private report(outcome: "success" | "failure", reason: string | undefined, compute: ComputeNs): void {
    this.observer.requestFinished({
      model: this.model,
      version: this.version,
      outcome,
      ...(reason !== undefined && { reason }),
      queueNs: this.spent.queue * MS_TO_NS,
      ...compute,
      totalNs: (now() - this.started) * MS_TO_NS,
    });
  }
}

/**
 * Runs `work` under a timer for `model`: a success with the batch size `work` gives back, or a
 * failure with the error's code (rethrown).
 *
 * @example
 * const answer = await timed(observer, "iris", "1", async (timer) => { …; return { value, batchSize: 2 }; });
 */
export async function timed<T>(
  observer: InferenceObserver,
  model: string,
  version: string,
  work: (timer: RequestTimer) => Promise<{ value: T; batchSize: number }>,
): Promise<T> {
  const timer = new RequestTimer(observer, model, version);
  try {
    const { value, batchSize } = await work(timer);
    timer.succeed(batchSize);
    return value;
  } catch (error) {
    timer.fail(error);
    throw error;
  }
}

/** A short, bounded label for why a request failed: the error's code. */
export function failureReason(error: unknown): string {
  if (error instanceof AppError) return error.code;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  if (cause instanceof AppError) return cause.code;
  return "internal_error";
}
