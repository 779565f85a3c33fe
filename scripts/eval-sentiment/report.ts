import type { SentimentSet } from "./datasets.ts";
import type { BackendResult } from "./evaluate-backend.ts";
import { accuracy, type Tally } from "./metrics.ts";

const pct = (t: Tally | undefined): string => (t && t.n ? `${(100 * accuracy(t)).toFixed(1)} %` : "–");
const share = (t: Tally): string => (t.n ? `${((100 * t.neutral) / t.n).toFixed(1)} %` : "–");
const rate = (r: BackendResult): string =>
  Number.isFinite(r.sentencesPerSecond) ? Math.round(r.sentencesPerSecond).toLocaleString("en-US") : "–";

/**
 * The results as Markdown: accuracy per set, overall, on the tuning and held-out halves, the share
 * of NEUTRAL answers and the throughput, one row per backend that ran, then a note per backend
 * that was skipped or failed.
 *
 * @example
 * console.log(markdownReport(results, sets));
 */
export function markdownReport(results: readonly BackendResult[], sets: readonly SentimentSet[]): string {
  const header = [
    "Backend",
    ...sets.map((s) => `${s.name} (${s.sentences.length})`),
    "all",
    "tuning half",
    "held-out half",
    "NEUTRAL answers",
    "sentences/s",
  ];
  const rows = results
    .filter((r) => r.status === "ok")
    .map((r) => [
      r.name,
      ...sets.map((s) => pct(r.perSet[s.name])),
      `**${pct(r.all)}**`,
      pct(r.tuning),
      pct(r.heldOut),
      share(r.all),
      rate(r),
    ]);
  const lines = [header, header.map((_, i) => (i === 0 ? "---" : "---:")), ...rows].map(
    (cells) => `| ${cells.join(" | ")} |`,
  );
  const notes = results
    .filter((r) => r.status !== "ok")
    .map((r) => `- ${r.name}: ${r.status} (${r.note ?? "no reason given"})`);
  return [lines.join("\n"), ...(notes.length ? ["", ...notes] : [])].join("\n");
}

/**
 * The results as a plain object for `--json`, with accuracies as fractions.
 *
 * @example
 * JSON.stringify(jsonReport(results, sets, meta));
 */
export function jsonReport(
  results: readonly BackendResult[],
  sets: readonly SentimentSet[],
  meta: Record<string, unknown>,
): Record<string, unknown> {
  const withAccuracy = (t: Tally) => ({ ...t, accuracy: t.n ? accuracy(t) : null });
  return {
    ...meta,
    neutralRule: "NEUTRAL answers count as wrong (the sets have no neutral sentences)",
    sets: sets.map((s) => ({
      name: s.name,
      file: s.file,
      sentences: s.sentences.length,
      positive: s.sentences.filter((x) => x.positive).length,
    })),
    backends: results.map((r) => ({
      name: r.name,
      description: r.description,
      status: r.status,
      ...(r.note ? { note: r.note } : {}),
      ...(r.status === "ok"
        ? {
            perSet: Object.fromEntries(Object.entries(r.perSet).map(([k, t]) => [k, withAccuracy(t)])),
            all: withAccuracy(r.all),
            tuningHalf: withAccuracy(r.tuning),
            heldOutHalf: withAccuracy(r.heldOut),
            sentencesPerSecond: r.sentencesPerSecond,
            sentencesPerSecondRuns: r.runs,
          }
        : {}),
    })),
  };
}
