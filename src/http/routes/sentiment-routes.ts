import { Elysia, t } from "elysia";
import { ValidationError } from "../../errors/app-error.ts";
import { ApiErrorSchema } from "../schemas/common-schemas.ts";
import { SentimentBatchSchema, SentimentBodySchema, SentimentResultSchema } from "../schemas/sentiment-schemas.ts";
import { guards, type HttpDeps } from "../http-deps.ts";

/** POST /api/v1/sentiment: one text or a batch, answered by the transformer or the lexicon. */
export function sentimentRoutes({ sentiment, tokens, config }: HttpDeps) {
  return new Elysia({ name: "sentiment-routes" }).post(
    "/api/v1/sentiment",
    async ({ body }) => {
      const texts = textsOf(body, config.maxBatch, config.maxTextLength);
      const answers = await sentiment.analyze(texts);
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
