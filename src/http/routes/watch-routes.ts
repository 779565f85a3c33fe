import { Elysia } from "elysia";
import { ApiErrorSchema, BEARER } from "../schemas/common-schemas.ts";
import { WatchStatusSchema } from "../schemas/watch-schemas.ts";
import { guards, type HttpDeps } from "../http-deps.ts";

/** /api/v1/watch: how the models folder is followed, and what waits to settle. */
export function watchRoutes({ watcher, tokens }: HttpDeps) {
  return new Elysia({ name: "watch-routes", prefix: "/api/v1/watch", detail: { tags: ["models"] } }).get("", () => watcher.status(), {
    transform: guards(tokens).inference,
    response: { 200: WatchStatusSchema, 401: ApiErrorSchema },
    detail: { summary: "The models folder watcher: mode, last scan, changes waiting to settle, refused links", security: BEARER },
  });
}
