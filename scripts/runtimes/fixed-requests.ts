/**
 * The fixed requests whose answers must be the same on Bun and on Deno: every route, the model
 * types (ONNX, external data, transformers, lexicon, Prophet), a YAML manifest, errors, the body
 * limit and the admin token. Run in this order, against a service started by ./same-answers.ts.
 */

/** One request; `admin` adds the admin token, `bytes` sends a raw body. */
export interface FixedRequest {
  name: string;
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  bytes?: string;
  admin?: boolean;
  headers?: Record<string, string>;
  /** "manual": the redirect itself is the answer. */
  redirect?: RequestRedirect;
}

/** The admin token of the compared services. */
export const COMPARE_ADMIN_TOKEN = "compare-admin-token-0123456789";

/** The models.yaml written into the compared models folder. */
export const COMPARE_MANIFEST = `models:
  iris_classifier:
    version: 2.1.0
    required: true
    description: Iris species from sepal and petal sizes
  linear-external:
    description: A linear model with external data
`;

/** MAX_BODY_BYTES of the compared services: small, so that the limit is easy to cross. */
export const COMPARE_MAX_BODY_BYTES = 4096;

const iris = { inputs: [{ name: "input", datatype: "FP32", shape: [2, 4], data: [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3] }] };
const get = (name: string, path: string, extra: Partial<FixedRequest> = {}): FixedRequest => ({ name, method: "GET", path, ...extra });
const post = (name: string, path: string, body: unknown, extra: Partial<FixedRequest> = {}): FixedRequest => ({ name, method: "POST", path, body, ...extra });

/** Every request, in order: reads first, then the ones that change state (unload, reload). */
export const FIXED_REQUESTS: FixedRequest[] = [
  get("root", "/", { redirect: "manual" }),
  get("docs", "/docs", { redirect: "manual" }),
  get("swagger page", "/swagger"),
  get("swagger json (moved)", "/swagger/json", { redirect: "manual" }),
  get("openapi.json", "/openapi.json"),
  get("favicon.ico", "/favicon.ico"),
  get("swagger small icon", "/swagger/assets/favicon-16x16.png"),
  get("swagger css", "/swagger/assets/swagger-ui.css"),
  get("swagger bundle", "/swagger/assets/swagger-ui-bundle.js"),
  get("swagger icon", "/swagger/assets/favicon-32x32.png"),
  get("openapi.yaml", "/openapi.yaml"),
  get("live", "/v2/health/live"),
  get("ready", "/v2/health/ready"),
  get("server metadata", "/v2"),
  get("registry", "/api/v1/models/registry"),
  get("health", "/api/v1/models/health"),
  get("models", "/api/v1/models/models"),
  get("hosts", "/api/v1/hosts"),
  get("iris metadata", "/v2/models/iris_classifier"),
  get("iris version metadata", "/v2/models/iris_classifier/versions/2.1.0"),
  get("iris ready", "/v2/models/iris_classifier/ready"),
  get("transformer metadata", "/v2/models/sentiment-distilbert"),
  post("iris infer", "/v2/models/iris_classifier/infer", iris),
  post("iris infer, versioned", "/v2/models/iris_classifier/versions/2.1.0/infer", iris),
  post("linear-external infer", "/v2/models/linear-external/infer", {
    inputs: [{ name: "x", datatype: "FP32", shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }],
  }),
  post("transformer infer (text)", "/v2/models/sentiment-distilbert/infer", {
    inputs: [{ name: "text", datatype: "BYTES", shape: [2], data: ["What a lovely day", "This is awful"] }],
  }),
  post("sentiment", "/api/v1/sentiment", { text: "I really enjoyed this film" }),
  post("sentiment batch", "/api/v1/sentiment", { texts: ["Great service", "Not good at all.", "It is a table."] }),
  post("forecast", "/api/v1/models/sales_forecast/forecast", { periods: 5, freq: "D" }),
  post("forecast rows", "/api/v1/models/sales_forecast/forecast", { rows: [{ ds: "2024-01-01" }, { ds: "2024-01-02" }], seed: 7 }),
  post("unknown model", "/v2/models/nope/infer", iris),
  post("bad datatype", "/v2/models/iris_classifier/infer", { inputs: [{ name: "input", datatype: "FP99", shape: [1], data: [1] }] }),
  post("wrong shape", "/v2/models/iris_classifier/infer", { inputs: [{ name: "input", datatype: "FP32", shape: [1, 3], data: [1, 2, 3] }] }),
  post("malformed JSON", "/v2/models/iris_classifier/infer", undefined, { bytes: '{"inputs": [' }),
  post("body over the limit", "/api/v1/sentiment", undefined, { bytes: JSON.stringify({ text: "x".repeat(COMPARE_MAX_BODY_BYTES) }) }),
  post("deep nesting", "/api/v1/sentiment", undefined, { bytes: `${"[".repeat(200)}${"]".repeat(200)}` }),
  post("empty text", "/api/v1/sentiment", { text: "" }),
  get("unknown route", "/nope"),
  post("admin route without token", "/v2/repository/index", {}),
  post("admin route, wrong token", "/v2/repository/index", {}, { headers: { authorization: "Bearer wrong-token-wrong-token-00" } }),
  post("repository index", "/v2/repository/index", {}, { admin: true }),
  post("unload a transformer", "/v2/repository/models/sentiment-distilbert/unload", {}, { admin: true }),
  post("unload the other transformer", "/v2/repository/models/sentiment-bert/unload", {}, { admin: true }),
  post("sentiment from the lexicon", "/api/v1/sentiment", { text: "Not good at all." }),
  post("load it again", "/v2/repository/models/sentiment-distilbert/load", {}, { admin: true }),
  post("sentiment from the transformer again", "/api/v1/sentiment", { text: "Not good at all." }),
  post("reload", "/api/v1/models/reload", { models: ["iris_classifier"] }, { admin: true }),
  post("iris after the reload", "/v2/models/iris_classifier/infer", iris),
  post("restart a host", "/api/v1/hosts/wasm-0/restart", {}, { admin: true }),
  get("registry at the end", "/api/v1/models/registry"),
  get("metrics", "/metrics"),
];
