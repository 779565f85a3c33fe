import { t } from "elysia";

/** POST /api/v1/sentiment body: one text or a batch. */
export const SentimentBodySchema = t.Object(
  {
    text: t.Optional(t.String({ description: "One text" })),
    texts: t.Optional(t.Array(t.String(), { description: "A batch of texts" })),
  },
  { additionalProperties: false },
);

/** One answer. */
export const SentimentResultSchema = t.Object({
  label: t.UnionEnum(["POSITIVE", "NEGATIVE", "NEUTRAL"]),
  score: t.Number({ minimum: 0, maximum: 1, description: "Confidence in the label" }),
  backend: t.UnionEnum(["transformer", "lexicon"]),
  model: t.String({ description: "Name of the model that answered" }),
  version: t.String({ description: "Version of the model that answered" }),
});

/** Answer to a batch. */
export const SentimentBatchSchema = t.Object({ results: t.Array(SentimentResultSchema) });
