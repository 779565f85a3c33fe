import { Elysia } from "elysia";
import { ApiErrorSchema } from "../schemas/common-schemas.ts";
import { WatchStatusSchema } from "../schemas/watch-schemas.ts";
import { guards, type HttpDeps } from "../http-deps.ts";

/** /api/v1/watch: how the models folder is followed, and what waits to settle. */
export function watchRoutes({ watcher, tokens }: HttpDeps) {
  return new Elysia({ name: "watch-routes", prefix: "/api/v1/watch" }).get("", () => watcher.status(), {
    transform: guards(tokens).inference,
    response: { 200: WatchStatusSchema, 401: ApiErrorSchema },
  });
}
