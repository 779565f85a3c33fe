import type { SentimentLabel } from "../../src/sentiment/sentiment-result.ts";
import { BackendUnavailable, type Backend } from "./backend.ts";
import { inHalf, type SentimentSet } from "./datasets.ts";
import { median, sumTallies, tally, type Tally } from "./metrics.ts";

/** What one backend scored; `status` other than "ok" means no numbers, only `note`. */
export interface BackendResult {
  name: string;
  description: string;
  status: "ok" | "skipped" | "failed";
  note?: string;
  perSet: Record<string, Tally>;
  all: Tally;
  /** Even-indexed sentences of every set (the half the lexicon rule was tuned on). */
  tuning: Tally;
  /** Odd-indexed sentences (held out from tuning). */
  heldOut: Tally;
  /** Sentences per second over all sets, median of `runs`. */
  sentencesPerSecond: number;
  runs: number[];
}

const EMPTY: Tally = { n: 0, correct: 0, neutral: 0 };

/**
 * Runs one backend over every set: an untimed pass gives the accuracy and doubles as the
 * warm-up (JIT, lazy loading), then `repeats` timed passes over all sets give the throughput.
 * Sets are passed whole to `classify`, so batching backends can batch.
 *
 * @example
 * const result = await evaluateBackend(vaderBackend(), sets, 3);
 */
export async function evaluateBackend(
  backend: Backend,
  sets: readonly SentimentSet[],
  repeats: number,
): Promise<BackendResult> {
  const base = { name: backend.name, description: backend.description };
  const none = { perSet: {}, all: EMPTY, tuning: EMPTY, heldOut: EMPTY, sentencesPerSecond: NaN, runs: [] };
  try {
    await backend.setup();
  } catch (error) {
    const skipped = error instanceof BackendUnavailable;
    return { ...base, ...none, status: skipped ? "skipped" : "failed", note: (error as Error).message };
  }
  try {
    const labels: SentimentLabel[][] = [];
    for (const set of sets) labels.push(await classifyChecked(backend, set.sentences.map((s) => s.text)));
    const perSet: Record<string, Tally> = {};
    sets.forEach((set, i) => (perSet[set.name] = tally(set.sentences, labels[i] ?? [])));
    const half = (h: "tuning" | "heldOut") =>
      sumTallies(sets.map((set, i) => tally(set.sentences, labels[i] ?? [], (s) => inHalf(s, h))));

    const total = sets.reduce((n, set) => n + set.sentences.length, 0);
    const runs: number[] = [];
    for (let r = 0; r < repeats; r += 1) {
      const started = performance.now();
      for (const set of sets) await backend.classify(set.sentences.map((s) => s.text));
      runs.push(total / ((performance.now() - started) / 1000));
    }
    return {
      ...base,
      status: "ok",
      perSet,
      all: sumTallies(Object.values(perSet)),
      tuning: half("tuning"),
      heldOut: half("heldOut"),
      sentencesPerSecond: median(runs),
      runs,
    };
  } catch (error) {
    return { ...base, ...none, status: "failed", note: (error as Error).message };
  } finally {
    await backend.dispose?.();
  }
}

async function classifyChecked(backend: Backend, texts: string[]): Promise<SentimentLabel[]> {
  const labels = await backend.classify(texts);
  if (labels.length !== texts.length) {
    throw new Error(`returned ${labels.length} labels for ${texts.length} texts`);
  }
  return labels;
}
