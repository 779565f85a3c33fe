import { Elysia, t } from "elysia";
import { openapi } from "@elysiajs/openapi";
import { runtime } from "#runtime";

const { swaggerUiBundle, swaggerUiCss, favicon32, openapiYaml } = runtime.assets;

/** Swagger UI's assets, served by the service itself: the page works with no internet. */
const ASSETS: Record<string, { path: string; type: string }> = {
  "swagger-ui-bundle.js": { path: swaggerUiBundle, type: "text/javascript; charset=utf-8" },
  "swagger-ui.css": { path: swaggerUiCss, type: "text/css; charset=utf-8" },
  "favicon-32x32.png": { path: favicon32, type: "image/png" },
};

/**
 * API documentation: Swagger UI at /swagger (assets from the swagger-ui-dist package, with a
 * bearer-token Authorize button), the document generated from the route schemas at
 * /swagger/json, and the hand-written openapi.yaml at /openapi.yaml. The UI offers both.
 */
export function docs(version: string) {
  return new Elysia({ name: "docs" })
    .use(
      openapi({
        path: "/swagger",
        specPath: "/swagger/json",
        provider: "swagger-ui",
        exclude: { paths: [/^\/swagger/, "/openapi.yaml"] },
        documentation: {
          info: {
            title: "model-cache",
            version,
            description:
              "Keeps machine-learning models warm and serves them: registry, health, sentiment, forecasts and the Open Inference Protocol (KServe V2). Admin routes take the admin bearer token (Authorize).",
          },
          tags: [
            { name: "models", description: "Registry, health, reload" },
            { name: "sentiment", description: "Sentiment analysis" },
            { name: "health", description: "Kubernetes probes" },
            { name: "inference", description: "Open Inference Protocol (KServe V2 / Triton)" },
            { name: "repository", description: "Model repository extension (admin)" },
            { name: "forecast", description: "Prophet forecasts" },
          ],
          components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } },
        },
        swagger: {
          cdn: "/swagger/assets/swagger-ui-bundle.js",
          theme: "/swagger/assets/swagger-ui.css",
          persistAuthorization: true,
          // Both documents in the top bar's selector; the generated one first.
          ...({
            urls: [
              { url: "/swagger/json", name: "Generated from the route schemas" },
              { url: "/openapi.yaml", name: "Hand-written openapi.yaml" },
            ],
          } as object),
        },
      }),
    )
    .get(
      "/swagger/assets/:file",
      async ({ params, set }) => {
        // Own keys only: "__proto__", "constructor" or "toString" are names of no asset.
        const asset = Object.hasOwn(ASSETS, params.file) ? ASSETS[params.file] : undefined;
        if (asset === undefined) {
          set.status = 404;
          return { error: { code: "not_found", message: "No such asset" } };
        }
        return new Response(await runtime.readFile(asset.path), {
          headers: { "content-type": asset.type, "cache-control": "public, max-age=86400" },
        });
      },
      { params: t.Object({ file: t.String() }), detail: { hide: true } },
    )
    .get(
      "/openapi.yaml",
      async () => new Response(await runtime.readFile(openapiYaml), { headers: { "content-type": "application/yaml; charset=utf-8" } }),
      { detail: { hide: true } },
    );
}
