import { Elysia, t } from "elysia";
import { openapi } from "@elysiajs/openapi";
import { NotFoundError } from "../../errors/app-error.ts";
import { FAVICON, OPENAPI_DOCUMENT, openapiYamlText, readAsset, swaggerAsset } from "./docs-assets.ts";
import { SWAGGER_UI_OPTIONS } from "./swagger-ui-options.ts";

const CACHE_A_DAY = "public, max-age=86400";

/**
 * A redirect to a path on this server. Not Elysia's `redirect()`: it builds `Response.redirect`,
 * which takes only absolute URLs outside Bun (Deno throws on "/swagger", a 500).
 */
const redirectTo = (location: string, status: 302 | 308) => () => new Response(null, { status, headers: { location } });

/**
 * API documentation, all served by the service itself (it works with no internet).
 * `@elysiajs/openapi` serves Swagger UI at /swagger (/docs and / lead there) with its assets from
 * swagger-ui-dist under /swagger/assets/, and the document at /openapi.json (/swagger/json leads
 * there). The document is the hand-written openapi.yaml, whole: the plugin's generation from
 * route schemas is switched off, so there is one document to keep true, and its examples run
 * against the demo models. /openapi.yaml serves it as written (shown in a browser rather than
 * downloaded); the icon is at /favicon.ico.
 *
 * @example
 * new Elysia().use(docs("0.1.0")); // GET /swagger
 */
export function docs(version: string) {
  const { info } = OPENAPI_DOCUMENT;
  // The plugin writes the page's title and meta description into HTML unescaped and reads them
  // once, here: hand it plain one-line values for the page, then the document's own `info`
  // (markdown with quotes and <token>) for the JSON it builds on each request.
  const documentation: Record<string, unknown> = { ...OPENAPI_DOCUMENT, info: { title: `model-cache ${version}: API`, version, description: "model-cache API" } };
  const plugin = openapi({
    path: "/swagger",
    specPath: "/openapi.json",
    provider: "swagger-ui",
    openapiVersion: OPENAPI_DOCUMENT.openapi as "3.1.0",
    documentation: documentation as never,
    // Every route of the app is documented by hand in openapi.yaml; nothing is generated.
    exclude: { paths: [/.*/] },
    swagger: {
      cdn: "/swagger/assets/swagger-ui-bundle.js",
      theme: "/swagger/assets/swagger-ui.css",
      autoDarkMode: false,
      ...SWAGGER_UI_OPTIONS,
    } as never,
  });
  documentation.info = info;
  return new Elysia({ name: "docs" })
    .get("/", redirectTo("/swagger", 302))
    .get("/docs", redirectTo("/swagger", 302))
    .use(plugin)
    .get("/swagger/json", redirectTo("/openapi.json", 308))
    .get(
      "/swagger/assets/:file",
      async ({ params }) => {
        const asset = swaggerAsset(params.file);
        if (asset === undefined) throw new NotFoundError("No such asset");
        return new Response(await readAsset(asset), { headers: { "content-type": asset.type, "cache-control": CACHE_A_DAY } });
      },
      { params: t.Object({ file: t.String() }) },
    )
    .get("/favicon.ico", async () => new Response(await readAsset(FAVICON), { headers: { "content-type": FAVICON.type, "cache-control": CACHE_A_DAY } }))
    .get(
      "/openapi.yaml",
      async () =>
        // text/yaml with inline disposition: browsers show it (application/yaml makes them download it).
        new Response(await openapiYamlText(), { headers: { "content-type": "text/yaml; charset=utf-8", "content-disposition": "inline" } }),
    );
}
