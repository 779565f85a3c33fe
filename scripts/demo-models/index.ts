/**
 * Builds every demo model in memory, in a fixed order. Nothing here reads the clock or the
 * output folder, so two runs give the same bytes.
 */
import { textFile, type GeneratedFile } from "./generated-file.ts";
import { buildIrisClassifier } from "./iris/iris-classifier.ts";
import { buildLinearExternal } from "./linear-external.ts";
import { buildSalesModel, salesForecastExamples } from "./prophet/sales-forecast.ts";
import { buildSentimentBert } from "./sentiment/bert-model.ts";
import { buildSentimentDistilbert } from "./sentiment/distilbert-model.ts";

/** The files plus facts worth printing (training accuracy, reference forecasts). */
export interface DemoModelsBuild {
  files: GeneratedFile[];
  notes: string[];
}

/**
 * All demo models, paths relative to the models folder.
 * @example
 * const { files } = buildDemoModels();
 * files.map((f) => f.path); // ["iris_classifier.onnx", "sentiment-bert/config.json", …]
 */
export function buildDemoModels(): DemoModelsBuild {
  const iris = buildIrisClassifier();
  const sales = buildSalesModel();
  const files = [
    iris.file,
    ...buildSentimentBert(),
    ...buildSentimentDistilbert(),
    ...buildLinearExternal(),
    textFile("sales_forecast.json", sales.json),
  ];
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`two builders produce ${f.path}`);
    seen.add(f.path);
  }
  const notes = [
    `iris_classifier.onnx: training accuracy ${(iris.trainingAccuracy * 100).toFixed(2)}% on 150 rows`,
    ...salesForecastExamples(sales.model).map(
      (e) => `sales_forecast.json: yhat(${e.date}) = ${e.yhat.toFixed(6)} (check against Prophet's predict)`,
    ),
  ];
  return { files, notes };
}
