import { Elysia, t } from "elysia";
import { modelNotFound } from "../../errors/model-not-found.ts";
import { describeModel } from "../../routing/registry-view.ts";
import { ApiErrorSchema } from "../schemas/common-schemas.ts";
import { RegistryEntrySchema } from "../schemas/registry-schemas.ts";
import { DefaultVersionBodySchema } from "../schemas/version-schemas.ts";
import { guards, type HttpDeps } from "../http-deps.ts";

const errors = { 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema };

/**
 * /api/v1/models/{name}/default-version (admin): rollback without a restart. Setting the
 * default sends all of the model's unversioned traffic to that version (its weights wait) until
 * the manifest's default or routing of the model changes, or the setting is deleted. It lasts
 * until the process ends; the manifest's `default_version` is the lasting way.
 */
export function versionsRoutes({ cache, router, tokens }: HttpDeps) {
  const entry = (name: string) => {
    const found = describeModel(cache, router, name);
    if (found === undefined) throw modelNotFound(name);
    return found;
  };
  return new Elysia({ name: "versions-routes", prefix: "/api/v1/models" }).guard(
    { transform: guards(tokens).admin, params: t.Object({ name: t.String() }) },
    (app) =>
      app
        .put(
          "/:name/default-version",
          ({ params, body }) => {
            router.setDefault(params.name, body.version);
            return entry(params.name);
          },
          {
            body: DefaultVersionBodySchema,
            response: { 200: RegistryEntrySchema, ...errors },
          },
        )
        .delete(
          "/:name/default-version",
          ({ params }) => {
            router.clearDefault(params.name);
            return entry(params.name);
          },
          {
            response: { 200: RegistryEntrySchema, ...errors },
          },
        ),
  );
}
