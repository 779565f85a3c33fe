/**
 * Multinomial logistic regression trained by full-batch gradient descent, deterministic:
 * fixed iteration count, fixed step, zero initial weights, no randomness.
 */

/** Training settings; the defaults are the ones the committed iris model uses. */
export interface TrainOptions {
  iterations: number;
  learningRate: number;
  /** L2 penalty on the weights (not the bias); keeps separable classes from diverging. */
  l2: number;
}

/** A linear softmax classifier on raw (unstandardised) features: logits = x·W + b. */
export interface LinearClassifier {
  /** [features][classes], row-major. */
  weights: number[][];
  bias: number[];
}

const DEFAULTS: TrainOptions = { iterations: 3000, learningRate: 0.2, l2: 0.001 };

function softmaxInPlace(z: number[]): void {
  const max = Math.max(...z);
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    z[k] = Math.exp((z[k] as number) - max);
    sum += z[k] as number;
  }
  for (let k = 0; k < z.length; k++) z[k] = (z[k] as number) / sum;
}

/** Class probabilities of one row. */
export function predictProba(model: LinearClassifier, x: readonly number[]): number[] {
  const z = model.bias.map((b, k) => b + x.reduce((acc, v, j) => acc + v * (model.weights[j]?.[k] ?? 0), 0));
  softmaxInPlace(z);
  return z;
}

/** Index of the largest probability (first one on ties, like ONNX ArgMax). */
export function predictLabel(model: LinearClassifier, x: readonly number[]): number {
  const p = predictProba(model, x);
  return p.indexOf(Math.max(...p));
}

/**
 * Trains on standardised features (zero mean, unit population variance), then folds the
 * standardisation into the returned weights so the model takes raw measurements.
 * @example
 * const model = trainLogisticRegression(rows.map((r) => r.slice(0, 4)), rows.map((r) => r[4]), 3);
 */
export function trainLogisticRegression(
  xs: readonly (readonly number[])[],
  ys: readonly number[],
  classes: number,
  options: Partial<TrainOptions> = {},
): LinearClassifier {
  const { iterations, learningRate, l2 } = { ...DEFAULTS, ...options };
  const n = xs.length;
  const d = xs[0]?.length ?? 0;
  const mean = Array.from({ length: d }, (_, j) => xs.reduce((a, x) => a + (x[j] as number), 0) / n);
  const std = mean.map((m, j) => Math.sqrt(xs.reduce((a, x) => a + ((x[j] as number) - m) ** 2, 0) / n));
  const zs = xs.map((x) => x.map((v, j) => (v - (mean[j] as number)) / (std[j] as number)));

  const w = Array.from({ length: d }, () => new Array<number>(classes).fill(0));
  const b = new Array<number>(classes).fill(0);
  for (let it = 0; it < iterations; it++) {
    const gw = Array.from({ length: d }, () => new Array<number>(classes).fill(0));
    const gb = new Array<number>(classes).fill(0);
    for (let i = 0; i < n; i++) {
      const p = predictProba({ weights: w, bias: b }, zs[i] as number[]);
      for (let k = 0; k < classes; k++) {
        const err = (p[k] as number) - (ys[i] === k ? 1 : 0);
        gb[k] = (gb[k] as number) + err / n;
        for (let j = 0; j < d; j++) (gw[j] as number[])[k] = ((gw[j] as number[])[k] as number) + (err * ((zs[i] as number[])[j] as number)) / n;
      }
    }
    for (let k = 0; k < classes; k++) {
      b[k] = (b[k] as number) - learningRate * (gb[k] as number);
      for (let j = 0; j < d; j++) {
        const row = w[j] as number[];
        row[k] = (row[k] as number) - learningRate * (((gw[j] as number[])[k] as number) + l2 * (row[k] as number));
      }
    }
  }

  // Fold z = (x - mean) / std into the weights: W' = W / std, b' = b - Σ mean·W / std.
  const weights = w.map((row, j) => row.map((v) => v / (std[j] as number)));
  const bias = b.map((bk, k) => bk - weights.reduce((a, row, j) => a + (mean[j] as number) * (row[k] as number), 0));
  return { weights, bias };
}

/** Rounds every parameter to `digits` decimals, so tiny libm differences between engines cannot reach the file. */
export function roundClassifier(model: LinearClassifier, digits = 6): LinearClassifier {
  const r = (v: number) => Math.round(v * 10 ** digits) / 10 ** digits;
  return { weights: model.weights.map((row) => row.map(r)), bias: model.bias.map(r) };
}
