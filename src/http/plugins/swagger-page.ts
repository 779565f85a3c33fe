/**
 * Swagger UI's options. One document, the hand-written openapi.yaml: it documents every route,
 * with examples that run against the demo models, and its `servers` entry is relative, so that
 * "Execute" calls the host and port the page was opened on. No `urls`: Swagger UI reads that only
 * in its standalone layout, and ignores `url` whenever it is set.
 */
export const SWAGGER_UI_OPTIONS = {
  url: "/openapi.yaml",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  persistAuthorization: true,
  displayRequestDuration: true,
  // Swagger UI would send the document to validator.swagger.io for a badge: nothing leaves.
  validatorUrl: null,
} as const;

/**
 * The Swagger UI page: assets and icon from this service (/swagger/assets/), nothing from the
 * network.
 *
 * @example
 * new Response(swaggerPage("model-cache 0.1.0"), { headers: { "content-type": "text/html; charset=utf-8" } });
 */
export function swaggerPage(title: string): string {
  const options = JSON.stringify(SWAGGER_UI_OPTIONS);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(title)}</title>
    <link rel="stylesheet" href="/swagger/assets/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/swagger/assets/favicon-32x32.png" sizes="32x32" />
    <link rel="icon" type="image/png" href="/swagger/assets/favicon-16x16.png" sizes="16x16" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/swagger/assets/swagger-ui-bundle.js"></script>
    <script>
      window.ui = SwaggerUIBundle(Object.assign(${options}, { presets: [SwaggerUIBundle.presets.apis] }));
    </script>
  </body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
