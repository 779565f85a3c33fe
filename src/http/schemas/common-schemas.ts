import { t } from "elysia";

/** `{ "error": { "code", "message" } }` of the /api routes. */
export const ApiErrorSchema = t.Object(
  { error: t.Object({ code: t.String(), message: t.String() }) },
  { description: "An error: a stable code and a message safe to show" },
);

/** The Open Inference Protocol's error body. */
export const OipErrorSchema = t.Object({ error: t.String() }, { description: "Open Inference Protocol error" });

