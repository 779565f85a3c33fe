import { BackendUnavailable, type Backend } from "./backend.ts";

/**
 * Placeholder for the service's transformer sentiment models (the demo models, run through
 * transformers.js on onnxruntime-web inside a worker). The worker is not built yet, so `setup()`
 * refuses and the runner prints a note; no number is ever reported for it until it really runs.
 *
 * To fill in (lead): in `setup()` start the worker and load the demo model; in `classify()` send
 * the texts in batches and map the model's labels to the service's (e.g. "POSITIVE"/"LABEL_1" →
 * POSITIVE, "NEGATIVE"/"LABEL_0" → NEGATIVE; a two-class model never answers NEUTRAL); in
 * `dispose()` terminate the worker. Add one such backend per demo model in backends.ts.
 *
 * @example
 * const backend = transformerBackend("sentiment-demo");
 */
export function transformerBackend(modelName: string): Backend {
  return {
    name: `transformer: ${modelName}`,
    description: "transformers.js text-classification pipeline on onnxruntime-web (worker)",
    setup() {
      throw new BackendUnavailable(
        `the transformers.js worker for "${modelName}" is not built yet ` +
          "(scripts/eval-sentiment/transformer-backend.ts is a placeholder)",
      );
    },
    classify() {
      throw new BackendUnavailable("not available");
    },
  };
}
