/**
 * The files the API documentation serves, in one place: Swagger UI's assets from the
 * swagger-ui-dist package and the hand-written openapi.yaml. Where they live (node_modules, or
 * embedded in a single executable) is the runtime's business (`#runtime`).
 */
import { runtime } from "#runtime";

const { swaggerUiBundle, swaggerUiCss, favicon32, favicon16, openapiYaml } = runtime.assets;

/** A file the documentation serves, with its media type. */
export interface DocsAsset {
  path: string;
  type: string;
}

const ASSETS: Readonly<Record<string, DocsAsset>> = {
  "swagger-ui-bundle.js": { path: swaggerUiBundle, type: "text/javascript; charset=utf-8" },
  "swagger-ui.css": { path: swaggerUiCss, type: "text/css; charset=utf-8" },
  "favicon-32x32.png": { path: favicon32, type: "image/png" },
  "favicon-16x16.png": { path: favicon16, type: "image/png" },
};

/** Names of the assets under /swagger/assets/. */
export const SWAGGER_ASSET_NAMES: readonly string[] = Object.keys(ASSETS);

/** The site icon (also answered at /favicon.ico: browsers take a PNG there). */
export const FAVICON: DocsAsset = ASSETS["favicon-32x32.png"]!;

/** The asset of that name, or undefined ("__proto__", "toString" and paths are names of none). */
export function swaggerAsset(name: string): DocsAsset | undefined {
  return Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
}

/** An asset's bytes. */
export function readAsset(asset: DocsAsset): Promise<Uint8Array<ArrayBuffer>> {
  return runtime.readFile(asset.path);
}

/** openapi.yaml as written. */
export async function openapiYamlText(): Promise<string> {
  return new TextDecoder().decode(await runtime.readFile(openapiYaml));
}

/** openapi.yaml, parsed: the one OpenAPI document (read once, when the docs are first imported). */
export const OPENAPI_DOCUMENT = runtime.parseYaml(await openapiYamlText()) as OpenApiDocument;

/** The parts of an OpenAPI document the docs plugin reads. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  [key: string]: unknown;
}
