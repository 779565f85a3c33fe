/**
 * iris_classifier.onnx: input float32 [N,4] → label int64 [N], probabilities float32 [N,3].
 * The weights come from a logistic regression trained here, on the embedded Iris data.
 */
import type { GeneratedFile } from "../generated-file.ts";
import { ElemType, GraphBuilder, encodeModel } from "../onnx-graph.ts";
import { IRIS_CLASSES, IRIS_FEATURES, IRIS_ROWS } from "./iris-data.ts";
import { predictLabel, roundClassifier, trainLogisticRegression, type LinearClassifier } from "./train-logistic-regression.ts";

/** What the build reports about the iris model. */
export interface IrisBuild {
  file: GeneratedFile;
  model: LinearClassifier;
  trainingAccuracy: number;
}

function buildGraph(model: LinearClassifier): GraphBuilder {
  const g = new GraphBuilder("iris_logistic_regression");
  const input = g.input("input", ElemType.FLOAT, ["N", 4]);
  const w = g.floatTensor("coefficients", [4, 3], model.weights.flat());
  const b = g.floatTensor("intercepts", [3], model.bias);
  const logits = g.node("Add", [g.node("MatMul", [input, w]), b], {}, "logits");
  const probabilities = g.node("Softmax", [logits], { axis: { int: 1 } }, "probabilities");
  g.node("ArgMax", [logits], { axis: { int: 1 }, keepdims: { int: 0 } }, "label");
  g.output("label", ElemType.INT64, ["N"]);
  g.output(probabilities, ElemType.FLOAT, ["N", 3]);
  return g;
}

/** Trains the classifier and encodes it; deterministic. */
export function buildIrisClassifier(): IrisBuild {
  const xs = IRIS_ROWS.map((r) => [r[0], r[1], r[2], r[3]]);
  const ys = IRIS_ROWS.map((r) => r[4]);
  const model = roundClassifier(trainLogisticRegression(xs, ys, IRIS_CLASSES.length));
  const correct = xs.filter((x, i) => predictLabel(model, x) === ys[i]).length;
  const trainingAccuracy = correct / xs.length;
  const bytes = encodeModel(buildGraph(model), {
    producerName: "model-cache build-demo-models",
    docString:
      "Multinomial logistic regression on Fisher's Iris data (UCI, CC BY 4.0), trained by full-batch gradient " +
      `descent with standardisation folded into the weights. Training accuracy ${correct}/${xs.length}.`,
    metadata: [
      ["features", IRIS_FEATURES.join(",")],
      ["classes", IRIS_CLASSES.join(",")],
      ["training_accuracy", trainingAccuracy.toFixed(4)],
    ],
  });
  return { file: { path: "iris_classifier.onnx", bytes }, model, trainingAccuracy };
}
