/**
 * Swagger UI's options. One document: the hand-written openapi.yaml as /openapi.json. It
 * documents every route, with examples that run against the demo models, and its `servers` entry
 * is relative, so that "Execute" calls the host and port the page was opened on. No `urls`:
 * Swagger UI reads that only in its standalone layout, and ignores `url` whenever it is set.
 */
export const SWAGGER_UI_OPTIONS = {
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  persistAuthorization: true,
  displayRequestDuration: true,
  // Swagger UI would send the document to validator.swagger.io for a badge: nothing leaves.
  validatorUrl: null,
} as const;
