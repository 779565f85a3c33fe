import { Elysia, t } from "elysia";
import { ValidationError } from "../../errors/app-error.ts";
import { ApiErrorSchema } from "../schemas/common-schemas.ts";
import { SentimentBatchSchema, SentimentBodySchema, SentimentResultSchema } from "../schemas/sentiment-schemas.ts";
import { guards, type HttpDeps } from "../http-deps.ts";
import { answeredBy } from "../answered-by.ts";

/**
 * POST /api/v1/sentiment: one text or a batch, answered by the transformer or the lexicon. When
 * the transformer's model has versions and routing, the routing picks the version (sticky
 * header, weights) and may send a shadow copy; the answer and its headers name the version.
 */
export function sentimentRoutes({ sentiment, router, cache, tokens, config }: HttpDeps) {
  const analyze = async (texts: string[], headers: Headers) => {
    const transformer = sentiment.transformerName();
    if (transformer === undefined) return sentiment.analyze(texts, undefined);
    const route = router.resolve(cache.spec(transformer)?.group ?? transformer, undefined, headers);
    return router.run(
      route,
      (target) => sentiment.analyze(texts, target.id, () => router.noteFallback(target)),
      (target) => sentiment.classify(target.id, texts),
    );
  };
  return new Elysia({ name: "sentiment-routes" }).post(
    "/api/v1/sentiment",
    async ({ body, request, set }) => {
      const texts = textsOf(body, config.maxBatch, config.maxTextLength);
      const answers = await analyze(texts, request.headers);
      answeredBy(set, answers[0]!);
      return body.text !== undefined ? answers[0]! : { results: answers };
    },
    {
      transform: guards(tokens).inference,
      body: SentimentBodySchema,
      response: {
        200: t.Union([SentimentResultSchema, SentimentBatchSchema]),
        401: ApiErrorSchema,
        413: ApiErrorSchema,
        422: ApiErrorSchema,
        503: ApiErrorSchema,
      },
    },
  );
}

/** The texts of a request: exactly one of `text` and `texts`, within the limits. */
function textsOf(body: { text?: string; texts?: string[] }, maxBatch: number, maxLength: number): string[] {
  if ((body.text === undefined) === (body.texts === undefined)) {
    throw new ValidationError('Send exactly one of "text" (a string) and "texts" (an array of strings)');
  }
  const texts = body.texts ?? [body.text!];
  if (texts.length === 0) throw new ValidationError('"texts" must hold at least one text');
  if (texts.length > maxBatch) throw new ValidationError(`"texts" holds ${texts.length} texts; the limit is ${maxBatch} (MAX_BATCH)`);
  const long = texts.findIndex((text) => text.length > maxLength);
  if (long >= 0) {
    const where = body.texts === undefined ? '"text"' : `"texts"[${long}]`;
    throw new ValidationError(`${where} is ${texts[long]!.length} characters long; the limit is ${maxLength} (MAX_TEXT_LENGTH)`);
  }
  return texts;
}
