import { t } from "elysia";

/** PUT /api/v1/models/{name}/default-version body. */
export const DefaultVersionBodySchema = t.Object({
  version: t.String({ minLength: 1, maxLength: 64, description: "A version the model serves" }),
});
