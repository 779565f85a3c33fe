/**
 * Accuracy of the demo text models on the labelled sentences in
 * /work/shared/fixtures/sentiment, measured through the transformers.js pipeline by
 * ./evaluate-sentiment.ts. Kept as data so the model cards can quote it; re-run the
 * evaluation and update these numbers whenever a model changes.
 */

/** Data sets in report order, with their sizes. */
export const EVALUATION_SETS = [
  { name: "amazon_cells_labelled.txt", rows: 1000 },
  { name: "imdb_labelled.txt", rows: 1000 },
  { name: "yelp_labelled.txt", rows: 1000 },
  { name: "sst2_dev.tsv", rows: 872 },
] as const;

/** Correct predictions per model folder and data set (same order as EVALUATION_SETS). */
export const MEASURED_CORRECT: Record<string, readonly number[]> = {
  "sentiment-bert": [841, 782, 810, 571],
  "sentiment-distilbert": [833, 788, 819, 614],
};

/** A Markdown table of the measured accuracy of one model folder. */
export function accuracyTable(folder: string): string {
  const correct = MEASURED_CORRECT[folder] ?? [];
  const lines = ["| data set | sentences | accuracy |", "|---|---|---|"];
  let right = 0;
  let total = 0;
  EVALUATION_SETS.forEach((set, i) => {
    const c = correct[i] ?? 0;
    right += c;
    total += set.rows;
    lines.push(`| ${set.name} | ${set.rows} | ${((100 * c) / set.rows).toFixed(1)}% |`);
  });
  lines.push(`| all | ${total} | ${((100 * right) / total).toFixed(1)}% |`);
  return lines.join("\n");
}
