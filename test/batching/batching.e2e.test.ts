/**
 * Dynamic batching through the service: concurrent Open Inference Protocol requests and
 * sentiment texts share model runs, every answer equals the model run on that request alone in
 * this process on onnxruntime-web (within 1e-4, whichever runtime the service runs it on), a
 * request whose rows fail fails alone, and the registry shows the batch sizes.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import * as ort from "onnxruntime-web";
import { serveModels } from "../helpers/serve-models.ts";
import { getJson, postJson } from "../helpers/test-service.ts";
import { inProcessClassifier, miniTransformerFolder, miniTransformerOnnx, MINI_SIZES } from "../helpers/mini-transformer.ts";

const SEQUENCE = 7;
const REQUESTS = 40;

/** Request i: 1 to 3 rows of SEQUENCE token ids, the last row padded. */
function tokenRows(i: number): { ids: number[]; mask: number[]; rows: number } {
  const rows = 1 + (i % 3);
  const ids: number[] = [];
  const mask: number[] = [];
  for (let row = 0; row < rows; row++) {
    const used = row === rows - 1 ? 3 + (i % 4) : SEQUENCE;
    for (let position = 0; position < SEQUENCE; position++) {
      ids.push(position < used ? 5 + ((i * 131 + row * 17 + position * 29) % (MINI_SIZES.vocabSize - 5)) : 0);
      mask.push(position < used ? 1 : 0);
    }
  }
  return { ids, mask, rows };
}

function inferBody({ ids, mask, rows }: { ids: number[]; mask: number[]; rows: number }) {
  return {
    inputs: [
      { name: "input_ids", datatype: "INT64", shape: [rows, SEQUENCE], data: ids },
      { name: "attention_mask", datatype: "INT64", shape: [rows, SEQUENCE], data: mask },
    ],
  };
}

const manifest = `models:
  mini-logits:
    batch_max_delay_ms: 20
  mini-logits-solo:
    batching: false
`;

const served = serveModels(
  {
    "models.yaml": manifest,
    "mini-logits.onnx": miniTransformerOnnx(),
    "mini-logits-solo.onnx": miniTransformerOnnx(),
    ...miniTransformerFolder("mini-distilbert"),
  },
  { SENTIMENT_MODEL: "mini-distilbert" },
);

let session: ort.InferenceSession;
beforeAll(async () => {
  session = await ort.InferenceSession.create(miniTransformerOnnx());
});

/** The logits of one request, run alone in this process. */
async function alone(request: { ids: number[]; mask: number[]; rows: number }): Promise<number[]> {
  const shape = [request.rows, SEQUENCE];
  const { logits } = await session.run({
    input_ids: new ort.Tensor("int64", BigInt64Array.from(request.ids, BigInt), shape),
    attention_mask: new ort.Tensor("int64", BigInt64Array.from(request.mask, BigInt), shape),
  });
  return Array.from(logits!.data as Float32Array);
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  for (const [i, value] of actual.entries()) expect(Math.abs(value - expected[i]!)).toBeLessThan(1e-4);
}

async function batchingOf(name: string) {
  const { body } = await getJson(`${served.svc.url}/api/v1/models/registry`);
  return body.models.find((entry: { name: string }) => entry.name === name).batching;
}

describe("Open Inference Protocol requests", () => {
  test("concurrent requests share runs; each gets exactly its own rows, equal to a run of it alone", async () => {
    const requests = Array.from({ length: REQUESTS }, (_, i) => tokenRows(i));
    const answers = await Promise.all(requests.map((request) => postJson(`${served.svc.url}/v2/models/mini-logits/infer`, inferBody(request))));
    for (const [i, answer] of answers.entries()) {
      expect(answer.status).toBe(200);
      expect(answer.body.outputs[0].shape).toEqual([requests[i]!.rows, 2]);
      expectClose(answer.body.outputs[0].data, await alone(requests[i]!));
    }
    const batching = await batchingOf("mini-logits");
    expect(batching.requests).toBe(REQUESTS);
    expect(batching.inferences).toBe(requests.reduce((rows, request) => rows + request.rows, 0));
    expect(batching.executions).toBeLessThan(REQUESTS);
    expect(batching.avg_batch_size).toBeGreaterThan(2);
    // Triton's statistics count one execution per batch: inferences / executions is the batch efficiency.
    const { body: stats } = await getJson(`${served.svc.url}/v2/models/mini-logits/stats`);
    const [model] = stats.model_stats;
    expect(model.inference_count).toBe(batching.inferences);
    expect(model.execution_count).toBe(batching.executions);
    expect(model.inference_stats.success.count).toBe(REQUESTS);
    const batches = model.batch_stats as { batch_size: number; compute_infer: { count: number } }[];
    expect(batches.reduce((sum, batch) => sum + batch.compute_infer.count, 0)).toBe(batching.executions);
    expect(batches.reduce((sum, batch) => sum + batch.batch_size * batch.compute_infer.count, 0)).toBe(batching.inferences);
    expect(Math.max(...batches.map((batch) => batch.batch_size))).toBeGreaterThan(3);
  });

  test("with batching off in the manifest, the same requests run one by one, with the same answers", async () => {
    const requests = Array.from({ length: 12 }, (_, i) => tokenRows(i));
    const answers = await Promise.all(requests.map((request) => postJson(`${served.svc.url}/v2/models/mini-logits-solo/infer`, inferBody(request))));
    for (const [i, answer] of answers.entries()) expectClose(answer.body.outputs[0].data, await alone(requests[i]!));
    expect(await batchingOf("mini-logits-solo")).toBeUndefined();
  });

  test("a request whose rows fail in the model fails alone; the others of its run are answered", async () => {
    const requests = Array.from({ length: 12 }, (_, i) => tokenRows(i));
    const bad = { ...tokenRows(99), ids: tokenRows(99).ids.map((id, position) => (position === 1 ? 99_999 : id)) };
    const all = [...requests.slice(0, 6), bad, ...requests.slice(6)];
    const answers = await Promise.all(all.map((request) => postJson(`${served.svc.url}/v2/models/mini-logits/infer`, inferBody(request))));
    expect(answers[6]!.status).toBe(400);
    expect(answers[6]!.body.error).toMatch(/could not run this input/);
    for (const [i, answer] of answers.entries()) {
      if (i === 6) continue;
      expect(answer.status).toBe(200);
      expectClose(answer.body.outputs[0].data, await alone(all[i]!));
    }
  });
});

describe("sentiment", () => {
  const TEXTS = [
    "good",
    "a gorgeous , witty , seductive movie .",
    "the film is strictly routine .",
    "it 's a charming and often affecting journey .",
    "unflinchingly bleak and desperate",
    "the acting , costumes , music , cinematography and sound are all astounding given the production 's austere locales .",
    "bad",
    "a sometimes tedious film .",
  ];

  test("concurrent texts of different lengths share runs; each score equals transformers.js on that text alone", async () => {
    const texts = Array.from({ length: 32 }, (_, i) => TEXTS[i % TEXTS.length]!);
    const answers = await Promise.all(texts.map((text) => postJson(`${served.svc.url}/api/v1/sentiment`, { text })));
    const classify = await inProcessClassifier(served.models.dir, "mini-distilbert");
    for (const [i, answer] of answers.entries()) {
      const [reference] = (await classify(texts[i]!)) as { label: string; score: number }[];
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ backend: "transformer", label: reference!.label });
      expect(Math.abs(answer.body.score - reference!.score)).toBeLessThan(1e-4);
    }
    await classify.dispose();
    const batching = await batchingOf("mini-distilbert");
    expect(batching.requests).toBe(texts.length);
    expect(batching.executions).toBeLessThan(texts.length);
  });
});
