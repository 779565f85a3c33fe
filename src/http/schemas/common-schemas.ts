import { Type } from "@sinclair/typebox";
import { t } from "elysia";

/**
 * A JSON integer. Elysia's `t.Integer` also takes numeric strings (for query strings), through a
 * TypeBox transform that every body and every answer holding one then pays for: a full transform
 * pass over the answer (measured 5.5 % of the CPU of an iris infer). Bodies and answers here are
 * JSON, whose integers are numbers.
 */
export const Integer = Type.Integer;

/** `{ "error": { "code", "message" } }` of the /api routes. */
export const ApiErrorSchema = t.Object(
  { error: t.Object({ code: t.String(), message: t.String() }) },
  { description: "An error: a stable code and a message safe to show" },
);

/** The Open Inference Protocol's error body. */
export const OipErrorSchema = t.Object({ error: t.String() }, { description: "Open Inference Protocol error" });

