import { Elysia, t } from "elysia";
import { NotFoundError } from "../../errors/app-error.ts";
import { FAVICON, openapiJsonText, openapiYamlText, readAsset, swaggerAsset } from "./docs-assets.ts";
import { swaggerPage } from "./swagger-page.ts";

const CACHE_A_DAY = "public, max-age=86400";

/**
 * API documentation, all served by the service itself (it works with no internet): Swagger UI
 * at /swagger (/docs and / lead there) over the hand-written openapi.yaml, which is also served
 * as text at /openapi.yaml (shown in a browser rather than downloaded) and as JSON at
 * /openapi.json (/swagger/json, where an older version served a generated document, leads
 * there); Swagger UI's assets under /swagger/assets/ and the icon at /favicon.ico.
 *
 * @example
 * new Elysia().use(docs("0.1.0")); // GET /swagger
 */
export function docs(version: string) {
  const page = swaggerPage(`model-cache ${version}: API`);
  return new Elysia({ name: "docs" })
    .get("/", ({ redirect }) => redirect("/swagger", 302))
    .get("/docs", ({ redirect }) => redirect("/swagger", 302))
    .get("/swagger", () => new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } }))
    .get("/swagger/json", ({ redirect }) => redirect("/openapi.json", 308))
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
    )
    .get("/openapi.json", async () => new Response(await openapiJsonText(), { headers: { "content-type": "application/json; charset=utf-8" } }));
}
