/**
 * openapi.yaml stays true:
 * (a) it is a well-formed OpenAPI 3.1 document: its structure, $refs, path parameters, tags and
 *     security are consistent, every schema compiles and every example fits its schema;
 * (b) it documents exactly the routes the running app serves (`app.routes`), no more, no fewer;
 * (c) real services over real models answer every route, in success and error cases, with the
 *     statuses, headers, media types and bodies it documents (ajv, JSON Schema 2020-12 as
 *     OpenAPI 3.1 uses). /v2 bodies whose schema carries an Open Inference Protocol name are also
 *     checked against the protocol's own schemas (shared/specs/open_inference_rest.yaml).
 * Every request goes through `Client.call`, which checks the answer against the document and
 * records the route, so the last test can prove that no route was left untried.
 */
import { expect } from "bun:test";
import { titanicInputs } from "../helpers/fixture-requests.ts";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import pkg from "../../package.json" with { type: "json" };
import { parseConfig } from "../../src/config/config.ts";
import { ModelService } from "../../src/service/model-service.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { runtime } from "#runtime";
import { OIP_SPEC, SHARED_FIXTURES } from "../helpers/paths.ts";
import { sharedFixtures } from "../helpers/require-fixtures.ts";

// The services here serve models from ../shared/fixtures, and /v2 answers are checked against
// ../shared/specs: without them every test skips (or fails under MODEL_CACHE_REQUIRE_FIXTURES=1).
const { afterAll, beforeAll, describe, test } = sharedFixtures;

const ROOT = join(import.meta.dirname, "../..");
const FIXTURE_MODELS = process.env.MODEL_FIXTURES_DIR ?? join(SHARED_FIXTURES, "models");
const FIXTURE_PROPHET = join(SHARED_FIXTURES, "prophet");
const DEMO_MODELS = join(ROOT, "models");

const DOC_TEXT = await readFile(join(ROOT, "openapi.yaml"), "utf8");
const DOC = runtime.parseYaml(DOC_TEXT) as Node;
const OIP = (sharedFixtures.available ? runtime.parseYaml(await readFile(OIP_SPEC, "utf8")) : {}) as Node;
const DOC_ID = "https://model-cache.test/openapi.yaml";
const OIP_ID = "https://model-cache.test/open_inference_rest.yaml";

const ADMIN = "admin-token-for-the-contract-test";
const INFERENCE = "inference-token-for-the-contract-test";
const LIMITS = { MAX_BODY_BYTES: 65_536, MAX_BATCH: 8, MAX_TEXT_LENGTH: 500, MAX_FORECAST_PERIODS: 400 };
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

type Node = Record<string, unknown>;

// ---- JSON pointers and document walking ---------------------------------------------------

const escapeToken = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");
const child = (pointer: string, ...tokens: string[]) => pointer + tokens.map((t) => `/${escapeToken(t)}`).join("");

/** The node at a local JSON pointer ("#/a/b"), or undefined. */
function resolvePointer(root: unknown, pointer: string): unknown {
  if (!pointer.startsWith("#")) return undefined;
  let node = root;
  for (const raw of pointer.slice(1).split("/").slice(1)) {
    const token = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, token)) return undefined;
    node = (node as Node)[token];
  }
  return node;
}

/**
 * The objects of the document that carry a `schema` (media types, parameters, headers) with their
 * pointers; example values are not searched.
 */
function schemaCarriers(doc: Node): [Node, string][] {
  const found: [Node, string][] = [];
  walk(doc, "#", (node, pointer) => {
    if (/\/(examples?|components\/schemas)(\/|$)/.test(pointer)) return;
    if (typeof node.schema === "object" || typeof node.schema === "boolean") found.push([node, pointer]);
  });
  return found;
}

/** Calls `visit` on every object of a tree with its pointer. */
function walk(node: unknown, pointer: string, visit: (node: Node, pointer: string) => void): void {
  if (typeof node !== "object" || node === null) return;
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, `${pointer}/${i}`, visit));
    return;
  }
  visit(node as Node, pointer);
  for (const [key, value] of Object.entries(node)) walk(value, child(pointer, key), visit);
}

/** Every documented operation as "METHOD /path/{param}". */
function documentedRoutes(doc: Node): string[] {
  return Object.entries(doc.paths as Node).flatMap(([path, item]) =>
    Object.keys(item as Node)
      .filter((key) => METHODS.includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/** Every route the app serves, Elysia's `:param` turned into `{param}`, without HEAD/OPTIONS. */
function servedRoutes(app: { routes: { method: string; path: string }[] }): string[] {
  return [
    ...new Set(
      app.routes
        .filter((route) => route.method !== "HEAD" && route.method !== "OPTIONS")
        .map((route) => `${route.method.toUpperCase()} ${route.path.replace(/:([^/]+)/g, "{$1}")}`),
    ),
  ];
}

// ---- the contract: the document plus ajv --------------------------------------------------

/** What came back from one request. */
interface Exchange {
  method: string;
  route: string;
  status: number;
  headers: Headers;
  mediaType: string | undefined;
  text: string;
  body: unknown;
}

const isJsonMedia = (media: string) => media === "application/json" || media.endsWith("+json");
const isYamlMedia = (media: string) => media === "application/yaml" || media === "application/x-yaml" || media === "text/yaml";

function newAjv(strict: boolean): Ajv2020 {
  // strictTypes/strictRequired are authoring lints that reject idiomatic `oneOf: [{required}]` and
  // `if/then` blocks; unknown keywords (typos) stay errors.
  const ajv = new Ajv2020({ strict, strictTypes: false, strictRequired: false, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  // Keywords the OpenAPI 3.1 dialect adds to JSON Schema.
  ajv.addVocabulary(["discriminator", "xml", "externalDocs", "example"]);
  return ajv;
}

/**
 * openapi.yaml made executable: finds operations, follows $refs, and checks responses,
 * requests and examples against the schemas with ajv.
 */
class Contract {
  private readonly ajv = newAjv(true);
  private readonly oipAjv = newAjv(false);
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    readonly doc: Node,
    readonly oip: Node,
  ) {
    // ajv compiles the root of a document to resolve a pointer into it: the OpenAPI object's own
    // fields are made known (and inert) so that strict mode refuses only real schema typos.
    this.ajv.addVocabulary(["openapi", "info", "jsonSchemaDialect", "servers", "tags", "paths", "webhooks", "components", "security"]);
    this.ajv.addSchema(doc, DOC_ID);
    this.oipAjv.addSchema(oip, OIP_ID);
  }

  /** The compiled schema at a pointer of openapi.yaml (throws when it does not compile). */
  validator(pointer: string, ajv = this.ajv, id = DOC_ID): ValidateFunction {
    const key = `${id}${pointer}`;
    let validate = this.validators.get(key);
    if (validate === undefined) {
      const uri = `${id}#${pointer.slice(1).split("/").map(encodeURIComponent).join("/")}`;
      validate = ajv.getSchema(uri);
      if (validate === undefined) throw new Error(`No schema at ${key}`);
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** Problems of `value` against the schema at `pointer`, plus the OIP schema of the same name. */
  schemaProblems(pointer: string, value: unknown, what: string): string[] {
    const validate = this.validator(pointer);
    const problems = validate(value) ? [] : [`${what} does not match ${pointer}: ${this.ajv.errorsText(validate.errors, { dataVar: "" })}`];
    const ref = (resolvePointer(this.doc, pointer) as Node | undefined)?.$ref;
    const name = typeof ref === "string" ? /^#\/components\/schemas\/([^/]+)$/.exec(ref)?.[1] : undefined;
    if (name !== undefined && Object.hasOwn((this.oip.components as Node).schemas as Node, name)) {
      const oip = this.validator(`#/components/schemas/${name}`, this.oipAjv, OIP_ID);
      if (!oip(value)) problems.push(`${what} does not match the OIP spec's ${name}: ${this.oipAjv.errorsText(oip.errors)}`);
    }
    return problems;
  }

  /** Follows a chain of $refs. */
  deref(node: unknown, pointer: string): { node: Node; pointer: string } {
    let current = { node: node as Node, pointer };
    for (let hops = 0; typeof current.node?.$ref === "string"; hops++) {
      if (hops > 10) throw new Error(`$ref loop at ${pointer}`);
      const target = current.node.$ref as string;
      current = { node: resolvePointer(this.doc, target) as Node, pointer: target };
      if (current.node === undefined) throw new Error(`Unresolved $ref ${target}`);
    }
    return current;
  }

  operation(method: string, route: string): { node: Node; pointer: string } | undefined {
    const pointer = child("#/paths", route, method.toLowerCase());
    const node = resolvePointer(this.doc, pointer) as Node | undefined;
    return node === undefined ? undefined : { node, pointer };
  }

  /** How a real answer differs from the document: status, headers, media type, body. */
  responseProblems(x: Exchange): string[] {
    const at = `${x.method} ${x.route} → ${x.status}`;
    const operation = this.operation(x.method, x.route);
    if (operation === undefined) return [`${x.method} ${x.route} is not in openapi.yaml`];
    const responses = operation.node.responses as Node;
    const status = String(x.status);
    const key = [status, `${status[0]}XX`, "default"].find((k) => Object.hasOwn(responses, k));
    if (key === undefined) {
      return [`${at}: status not documented (documented: ${Object.keys(responses).join(", ")}); body: ${x.text.slice(0, 300)}`];
    }
    const response = this.deref(responses[key], child(operation.pointer, "responses", key));
    const problems: string[] = [];
    for (const [name, raw] of Object.entries((response.node.headers ?? {}) as Node)) {
      const header = this.deref(raw, child(response.pointer, "headers", name));
      const value = x.headers.get(name);
      if (value === null) {
        if (header.node.required === true) problems.push(`${at}: header ${name} is missing`);
      } else {
        problems.push(...this.schemaProblems(`${header.pointer}/schema`, value, `${at}: header ${name}`));
      }
    }
    const content = response.node.content as Node | undefined;
    if (content === undefined) {
      if (x.text !== "") problems.push(`${at}: documented without a body, but it has one: ${x.text.slice(0, 200)}`);
      return problems;
    }
    if (x.mediaType === undefined || !Object.hasOwn(content, x.mediaType)) {
      return [...problems, `${at}: media type ${x.mediaType} is not documented (documented: ${Object.keys(content).join(", ")})`];
    }
    const schemaPointer = child(response.pointer, "content", x.mediaType, "schema");
    if (x.mediaType.startsWith("image/")) return problems;
    problems.push(...this.schemaProblems(schemaPointer, x.body, `${at}: body ${x.text.slice(0, 300)}`));
    return problems;
  }

  /** A request the server accepted: its path parameters and body must be valid per the document. */
  requestProblems(method: string, route: string, params: Record<string, string>, body: unknown): string[] {
    const operation = this.operation(method, route);
    if (operation === undefined) return [`${method} ${route} is not in openapi.yaml`];
    const problems: string[] = [];
    ((operation.node.parameters ?? []) as unknown[]).forEach((raw, i) => {
      const parameter = this.deref(raw, `${operation.pointer}/parameters/${i}`);
      if (parameter.node.in !== "path") return;
      const name = parameter.node.name as string;
      problems.push(...this.schemaProblems(`${parameter.pointer}/schema`, params[name], `${method} ${route}: path parameter ${name}`));
    });
    if (body === undefined) return problems;
    if (operation.node.requestBody === undefined) return [...problems, `${method} ${route} documents no request body`];
    const requestBody = this.deref(operation.node.requestBody, `${operation.pointer}/requestBody`);
    const schemaPointer = child(requestBody.pointer, "content", "application/json", "schema");
    return [...problems, ...this.schemaProblems(schemaPointer, body, `${method} ${route}: request body ${JSON.stringify(body).slice(0, 200)}`)];
  }

  /** Every example (media types, parameters, headers) checked against its schema. */
  exampleProblems(): string[] {
    const problems: string[] = [];
    for (const [node, pointer] of schemaCarriers(this.doc)) {
      const examples: [string, unknown][] = [];
      if ("example" in node) examples.push([`${pointer}/example`, node.example]);
      for (const [name, raw] of Object.entries((node.examples ?? {}) as Node)) {
        const example = this.deref(raw, child(pointer, "examples", name));
        examples.push([example.pointer, example.node.value]);
      }
      for (const [where, value] of examples) problems.push(...this.schemaProblems(`${pointer}/schema`, value, `example ${where}`));
    }
    return problems;
  }

  /** Every example of a request body (none when the operation takes no body). */
  requestExamples(operation: { node: Node; pointer: string }): unknown[] {
    if (operation.node.requestBody === undefined) return [];
    const media = (this.deref(operation.node.requestBody, `${operation.pointer}/requestBody`).node.content as Node)["application/json"] as Node;
    if ("example" in media) return [media.example];
    return Object.values((media.examples ?? {}) as Node).map((example) => this.deref(example, "#").node.value);
  }

  /** The first example of a request body (the one Swagger UI puts in its editor), or undefined. */
  requestExample(operation: { node: Node; pointer: string }): unknown {
    return this.requestExamples(operation)[0];
  }

  /** Example values of the path parameters of an operation. */
  parameterExamples(operation: { node: Node; pointer: string }): Record<string, string> {
    const params: Record<string, string> = {};
    for (const raw of (operation.node.parameters ?? []) as unknown[]) {
      const parameter = this.deref(raw, "#").node;
      if (parameter.in === "path") params[parameter.name as string] = String(parameter.example);
    }
    return params;
  }
}

/** A reduced OpenAPI 3.1 meta-schema: the objects this service's document uses, closed. */
const OPENAPI_31_STRUCTURE = {
  $id: "https://model-cache.test/openapi-3.1-structure",
  type: "object",
  required: ["openapi", "info", "paths"],
  patternProperties: { "^x-": {} },
  additionalProperties: false,
  properties: {
    openapi: { type: "string", pattern: "^3\\.1\\.\\d+$" },
    info: {
      type: "object",
      required: ["title", "version"],
      additionalProperties: false,
      properties: {
        title: { type: "string" },
        version: { type: "string" },
        summary: { type: "string" },
        description: { type: "string" },
        termsOfService: { type: "string" },
        contact: { type: "object" },
        license: { type: "object", required: ["name"] },
      },
    },
    jsonSchemaDialect: { type: "string" },
    servers: { type: "array", items: { type: "object", required: ["url"] } },
    tags: { type: "array", items: { type: "object", required: ["name"], properties: { name: { type: "string" }, description: { type: "string" } } } },
    security: { type: "array", items: { $ref: "#/$defs/securityRequirement" } },
    externalDocs: { type: "object" },
    paths: { type: "object", propertyNames: { pattern: "^/" }, additionalProperties: { $ref: "#/$defs/pathItem" } },
    webhooks: { type: "object" },
    components: {
      type: "object",
      additionalProperties: false,
      properties: {
        schemas: { type: "object", additionalProperties: { type: ["object", "boolean"] } },
        responses: { type: "object", additionalProperties: { $ref: "#/$defs/responseOrRef" } },
        parameters: { type: "object", additionalProperties: { $ref: "#/$defs/parameterOrRef" } },
        requestBodies: { type: "object", additionalProperties: { $ref: "#/$defs/requestBodyOrRef" } },
        headers: { type: "object", additionalProperties: { $ref: "#/$defs/headerOrRef" } },
        examples: { type: "object", additionalProperties: { $ref: "#/$defs/exampleOrRef" } },
        securitySchemes: { type: "object", additionalProperties: { $ref: "#/$defs/securityScheme" } },
      },
    },
  },
  $defs: {
    ref: { type: "object", required: ["$ref"], additionalProperties: false, properties: { $ref: { type: "string" }, summary: { type: "string" }, description: { type: "string" } } },
    pathItem: {
      type: "object",
      patternProperties: { "^x-": {} },
      additionalProperties: false,
      properties: {
        summary: { type: "string" },
        description: { type: "string" },
        parameters: { type: "array", items: { $ref: "#/$defs/parameterOrRef" } },
        ...Object.fromEntries(METHODS.map((method) => [method, { $ref: "#/$defs/operation" }])),
      },
    },
    operation: {
      type: "object",
      required: ["responses"],
      patternProperties: { "^x-": {} },
      additionalProperties: false,
      properties: {
        tags: { type: "array", items: { type: "string" } },
        summary: { type: "string" },
        description: { type: "string" },
        operationId: { type: "string" },
        parameters: { type: "array", items: { $ref: "#/$defs/parameterOrRef" } },
        requestBody: { $ref: "#/$defs/requestBodyOrRef" },
        responses: {
          type: "object",
          minProperties: 1,
          propertyNames: { pattern: "^([1-5](\\d\\d|XX)|default)$" },
          additionalProperties: { $ref: "#/$defs/responseOrRef" },
        },
        security: { type: "array", items: { $ref: "#/$defs/securityRequirement" } },
        deprecated: { type: "boolean" },
        externalDocs: { type: "object" },
        servers: { type: "array" },
        callbacks: { type: "object" },
      },
    },
    responseOrRef: { if: { required: ["$ref"] }, then: { $ref: "#/$defs/ref" }, else: { $ref: "#/$defs/response" } },
    response: {
      type: "object",
      required: ["description"],
      additionalProperties: false,
      properties: {
        description: { type: "string" },
        headers: { type: "object", additionalProperties: { $ref: "#/$defs/headerOrRef" } },
        content: { type: "object", additionalProperties: { $ref: "#/$defs/mediaType" } },
        links: { type: "object" },
      },
    },
    mediaType: {
      type: "object",
      additionalProperties: false,
      not: { required: ["example", "examples"] },
      properties: {
        schema: { type: ["object", "boolean"] },
        example: true,
        examples: { type: "object", additionalProperties: { $ref: "#/$defs/exampleOrRef" } },
        encoding: { type: "object" },
      },
    },
    exampleOrRef: { if: { required: ["$ref"] }, then: { $ref: "#/$defs/ref" }, else: { $ref: "#/$defs/example" } },
    example: {
      type: "object",
      additionalProperties: false,
      properties: { summary: { type: "string" }, description: { type: "string" }, value: true, externalValue: { type: "string" } },
    },
    parameterOrRef: { if: { required: ["$ref"] }, then: { $ref: "#/$defs/ref" }, else: { $ref: "#/$defs/parameter" } },
    parameter: {
      type: "object",
      required: ["name", "in"],
      additionalProperties: false,
      properties: {
        name: { type: "string" },
        in: { enum: ["query", "header", "path", "cookie"] },
        description: { type: "string" },
        required: { type: "boolean" },
        deprecated: { type: "boolean" },
        allowEmptyValue: { type: "boolean" },
        style: { type: "string" },
        explode: { type: "boolean" },
        schema: { type: ["object", "boolean"] },
        example: true,
        examples: { type: "object" },
        content: { type: "object" },
      },
      if: { properties: { in: { const: "path" } } },
      then: { required: ["required"], properties: { required: { const: true } } },
    },
    headerOrRef: { if: { required: ["$ref"] }, then: { $ref: "#/$defs/ref" }, else: { $ref: "#/$defs/header" } },
    header: {
      type: "object",
      additionalProperties: false,
      properties: {
        description: { type: "string" },
        required: { type: "boolean" },
        deprecated: { type: "boolean" },
        schema: { type: ["object", "boolean"] },
        example: true,
        examples: { type: "object" },
        style: { const: "simple" },
        explode: { type: "boolean" },
        content: { type: "object" },
      },
    },
    requestBodyOrRef: { if: { required: ["$ref"] }, then: { $ref: "#/$defs/ref" }, else: { $ref: "#/$defs/requestBody" } },
    requestBody: {
      type: "object",
      required: ["content"],
      additionalProperties: false,
      properties: {
        description: { type: "string" },
        required: { type: "boolean" },
        content: { type: "object", minProperties: 1, additionalProperties: { $ref: "#/$defs/mediaType" } },
      },
    },
    securityRequirement: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
    securityScheme: {
      type: "object",
      required: ["type"],
      additionalProperties: false,
      properties: {
        type: { enum: ["apiKey", "http", "mutualTLS", "oauth2", "openIdConnect"] },
        description: { type: "string" },
        name: { type: "string" },
        in: { enum: ["query", "header", "cookie"] },
        scheme: { type: "string" },
        bearerFormat: { type: "string" },
        flows: { type: "object" },
        openIdConnectUrl: { type: "string" },
      },
      if: { properties: { type: { const: "http" } } },
      then: { required: ["scheme"] },
    },
  },
};

// ---- running services over real models ----------------------------------------------------

interface CallOptions {
  params?: Record<string, string>;
  /** A JSON body. */
  json?: unknown;
  /** A body sent as is (bad JSON, bytes, a stream). */
  raw?: BodyInit;
  token?: string;
  headers?: Record<string, string>;
}

/**
 * Sends requests to one service (over HTTP, or in process through `app.handle`), checks every
 * answer against openapi.yaml and records the route as exercised.
 */
class Client {
  constructor(
    private readonly base: string,
    private readonly send: (request: Request) => Promise<Response>,
    private readonly contract: Contract,
    private readonly exercised: Set<string>,
  ) {}

  async call(method: string, route: string, options: CallOptions = {}): Promise<Exchange> {
    const params = options.params ?? {};
    const path = route.replace(/\{([^}]+)\}/g, (_, name: string) => {
      if (params[name] === undefined) throw new Error(`No value for {${name}} in ${route}`);
      return encodeURIComponent(params[name]);
    });
    const headers = new Headers(options.headers);
    if (options.token !== undefined) headers.set("authorization", `Bearer ${options.token}`);
    const body = options.json !== undefined ? JSON.stringify(options.json) : options.raw;
    const init = { method, headers, body, redirect: "manual", duplex: "half" } as RequestInit;
    const response = await this.send(new Request(this.base + path, init));
    const text = await response.text();
    const mediaType = response.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
    const x: Exchange = { method, route, status: response.status, headers: response.headers, mediaType, text, body: text };
    if (mediaType !== undefined && isJsonMedia(mediaType)) x.body = JSON.parse(text);
    if (mediaType !== undefined && isYamlMedia(mediaType)) x.body = runtime.parseYaml(text);
    this.exercised.add(`${method} ${route}`);
    expect(this.contract.responseProblems(x)).toEqual([]);
    if (x.status >= 200 && x.status < 300 && options.raw === undefined) {
      expect(this.contract.requestProblems(method, route, params, options.json)).toEqual([]);
    }
    return x;
  }
}

interface Running {
  service: ModelService;
  client: Client;
}

/** A free TCP port, for when PORT=0 does not tell the service's port. */
function freePort(): number {
  const probe = runtime.serve({ fetch: () => new Response() }, { port: 0, hostname: "127.0.0.1" });
  const port = probe.port;
  void probe.stop(true);
  if (port === undefined) throw new Error("No free port");
  return port;
}

async function startService(env: Record<string, string>, contract: Contract, exercised: Set<string>): Promise<Running> {
  const settings = { HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "silent", ...env };
  let service = await ModelService.create(parseConfig(settings));
  await service.start();
  if (!service.port) {
    await service.stop();
    service = await ModelService.create(parseConfig({ ...settings, PORT: String(freePort()) }));
    await service.start();
  }
  const send = (request: Request) => fetch(request);
  return { service, client: new Client(`http://127.0.0.1:${service.port}`, send, contract, exercised) };
}

/** Polls readiness (each answer checked against the document) until 200. */
async function waitUntilReady(client: Client, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await client.call("GET", "/v2/health/ready")).status !== 200) {
    if (Date.now() > deadline) throw new Error("The service did not become ready");
    await sleep(50);
  }
}

async function copyTree(from: string, to: string): Promise<void> {
  if ((await stat(from)).isDirectory()) {
    await mkdir(to, { recursive: true });
    for (const entry of await readdir(from)) await copyTree(join(from, entry), join(to, entry));
  } else {
    await mkdir(dirname(to), { recursive: true });
    await copyFile(from, to); // a fresh, writable file: fixtures stay untouched
  }
}

/**
 * The main models folder: scikit-learn ONNX fixtures (one required, one loaded on first use,
 * one with a version of its own), an ONNX graph that turns strings into NaN/±Infinity, a Prophet
 * export, a file that is not a model, and the demo models when they are there.
 */
async function mainModelsFolder(dir: string): Promise<void> {
  await copyTree(join(FIXTURE_MODELS, "skl2onnx_rf_iris/model.onnx"), join(dir, "iris_rf.onnx"));
  await copyTree(join(FIXTURE_MODELS, "skl2onnx_rf_iris/model.onnx"), join(dir, "iris_lazy.onnx"));
  await copyTree(join(FIXTURE_MODELS, "skl2onnx_pipeline_titanic_nozipmap/model.onnx"), join(dir, "titanic/model.onnx"));
  await copyTree(join(FIXTURE_MODELS, "onnx_testdata_selection/test_cast_STRING_to_FLOAT/model.onnx"), join(dir, "cast_string_to_float/model.onnx"));
  await copyTree(join(FIXTURE_PROPHET, "databricks_automl_prophet_v1.1.1.json"), join(dir, "automl_prophet.json"));
  for (const version of ["1", "2"]) {
    await copyTree(join(FIXTURE_MODELS, "skl2onnx_rf_iris/model.onnx"), join(dir, `iris_versions/${version}/model.onnx`));
    await copyTree(join(FIXTURE_PROPHET, "databricks_automl_prophet_v1.1.1.json"), join(dir, `prophet_versions/${version}/model.json`));
  }
  await writeFile(join(dir, "broken.onnx"), "this is not an ONNX model");
  await writeFile(
    join(dir, "models.yaml"),
    [
      "models:",
      "  iris_rf: { required: true, description: Random forest on the iris data set (skl2onnx fixture) }",
      "  iris_lazy: { preload: false }",
      "  titanic: { version: 2.1.0 }",
      "  iris_versions:",
      "    default_version: 1",
      "    routing:",
      "      variants: [{ version: 1, weight: 3 }, { version: 2, weight: 1 }]",
      "      shadow: { version: 2, percent: 50 }",
      "      sticky_header: X-User-Id",
      "",
    ].join("\n"),
  );
  const taken = new Set(await readdir(dir));
  const demo = await readdir(DEMO_MODELS).catch(() => [] as string[]);
  for (const entry of demo) {
    if (entry.startsWith(".") || entry === "cache" || /^models\.(ya?ml|json)$/.test(entry) || taken.has(entry)) continue;
    await copyTree(join(DEMO_MODELS, entry), join(dir, entry));
  }
}

const IRIS_ROWS = [
  [5.1, 3.5, 1.4, 0.2],
  [6.7, 3.0, 5.2, 2.3],
];
const irisRequest = (data: unknown = IRIS_ROWS.flat(), shape = [2, 4]) => ({
  id: "contract-1",
  inputs: [{ name: "float_input", datatype: "FP32", shape, data }],
});
const titanicRequest = (outputs?: { name: string }[]) => ({
  inputs: titanicInputs("INT64"),
  ...(outputs !== undefined && { outputs }),
});

/** A body that arrives in chunks, with no Content-Length. */
function chunkedBody(bytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const chunk = new TextEncoder().encode(" ".repeat(Math.min(16_384, bytes - sent)));
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

// ---- the tests -----------------------------------------------------------------------------

const contract = new Contract(DOC, OIP);
const exercised = new Set<string>();
const folders: string[] = [];
let main: Running;
let guarded: Running;

beforeAll(async () => {
  const mainDir = await mkdtemp(join(tmpdir(), "model-cache-openapi-"));
  const guardedDir = await mkdtemp(join(tmpdir(), "model-cache-openapi-guarded-"));
  folders.push(mainDir, guardedDir);
  await mainModelsFolder(mainDir);
  await copyTree(join(FIXTURE_MODELS, "skl2onnx_rf_iris/model.onnx"), join(guardedDir, "iris_rf.onnx"));
  await copyTree(join(FIXTURE_PROPHET, "databricks_automl_prophet_v1.1.1.json"), join(guardedDir, "automl_prophet.json"));
  const limits = Object.fromEntries(Object.entries(LIMITS).map(([key, value]) => [key, String(value)]));
  main = await startService({ MODELS_DIR: mainDir, ADMIN_TOKEN: ADMIN, ...limits }, contract, exercised);
  guarded = await startService({ MODELS_DIR: guardedDir, ADMIN_TOKEN: ADMIN, INFERENCE_TOKEN: INFERENCE }, contract, exercised);
  await Promise.all([waitUntilReady(main.client), waitUntilReady(guarded.client)]);
}, 180_000);

afterAll(async () => {
  await Promise.all([main?.service.stop(), guarded?.service.stop()]);
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
}, 60_000);

describe("openapi.yaml is a well-formed OpenAPI 3.1 document", () => {
  test("OpenAPI 3.1, with info.version equal to package.json's version", () => {
    expect(DOC.openapi).toMatch(/^3\.1\.\d+$/);
    expect((DOC.info as Node).version).toBe(pkg.version);
  });

  test("its structure fits the OpenAPI 3.1 objects it uses", () => {
    const ajv = newAjv(true);
    const validate = ajv.compile(OPENAPI_31_STRUCTURE);
    expect(validate(DOC) ? [] : validate.errors).toEqual([]);
  });

  test("every $ref resolves inside the document", () => {
    const unresolved: string[] = [];
    walk(DOC, "#", (node, pointer) => {
      if (typeof node.$ref === "string" && resolvePointer(DOC, node.$ref) === undefined) unresolved.push(`${pointer}: ${node.$ref}`);
    });
    expect(unresolved).toEqual([]);
  });

  test("path templates and path parameters match, and path parameters are required", () => {
    const problems: string[] = [];
    for (const route of documentedRoutes(DOC)) {
      const [method, path] = route.split(" ") as [string, string];
      const operation = contract.operation(method, path)!;
      const pathItem = (DOC.paths as Node)[path] as Node;
      const declared = [...((pathItem.parameters ?? []) as unknown[]), ...((operation.node.parameters ?? []) as unknown[])]
        .map((raw) => contract.deref(raw, "#").node)
        .filter((parameter) => parameter.in === "path");
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      const names = declared.map((parameter) => parameter.name);
      if (JSON.stringify([...names].sort()) !== JSON.stringify([...inTemplate].sort())) {
        problems.push(`${route}: template has {${inTemplate.join("}, {")}}, parameters declare ${names.join(", ") || "none"}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test("operationIds are unique, and every tag and security scheme used is declared", () => {
    const ids = new Set<string>();
    const tags = new Set(((DOC.tags ?? []) as Node[]).map((tag) => tag.name));
    const schemes = new Set(Object.keys(((DOC.components as Node).securitySchemes ?? {}) as Node));
    const problems: string[] = [];
    for (const route of documentedRoutes(DOC)) {
      const [method, path] = route.split(" ") as [string, string];
      const operation = contract.operation(method, path)!.node;
      const id = operation.operationId as string;
      if (ids.has(id)) problems.push(`${route}: operationId ${id} is used twice`);
      ids.add(id);
      for (const tag of (operation.tags ?? []) as string[]) if (!tags.has(tag)) problems.push(`${route}: tag ${tag} is not declared`);
      if (((operation.tags ?? []) as string[]).length === 0) problems.push(`${route}: no tag`);
      for (const requirement of (operation.security ?? []) as Node[]) {
        for (const scheme of Object.keys(requirement)) if (!schemes.has(scheme)) problems.push(`${route}: security scheme ${scheme} is not declared`);
      }
    }
    expect(problems).toEqual([]);
  });

  test("adminToken, inferenceToken and metricsToken are http bearer schemes; x-bearer-token and security agree on every route", () => {
    const schemes = (DOC.components as Node).securitySchemes as Node;
    expect(Object.keys(schemes).sort()).toEqual(["adminToken", "inferenceToken", "metricsToken"]);
    for (const scheme of Object.values(schemes)) expect(scheme).toMatchObject({ type: "http", scheme: "bearer" });
    // Swagger UI applies every authorized scheme of the requirements in order: on inference
    // routes the admin token, when entered, is the one sent.
    const expected: Record<string, unknown> = {
      admin: [{ adminToken: [] }],
      inference: [{ inferenceToken: [] }, { adminToken: [] }, {}],
      metrics: [{ metricsToken: [] }, { adminToken: [] }, {}],
      none: undefined,
    };
    const problems: string[] = [];
    for (const route of documentedRoutes(DOC)) {
      const [method, path] = route.split(" ") as [string, string];
      const operation = contract.operation(method, path)!.node;
      const kind = (operation["x-bearer-token"] as string | undefined) ?? "none";
      if (!(kind in expected)) problems.push(`${route}: x-bearer-token ${kind} is not admin, inference or metrics`);
      else if (JSON.stringify(operation.security) !== JSON.stringify(expected[kind])) {
        problems.push(`${route}: x-bearer-token ${kind} but security ${JSON.stringify(operation.security)}`);
      }
      const responses = Object.keys(operation.responses as Node);
      if (kind !== "none" && !responses.includes("401")) problems.push(`${route}: takes a token but documents no 401`);
      if (kind === "admin" && !responses.includes("403")) problems.push(`${route}: admin route without 403`);
    }
    expect(problems).toEqual([]);
  });

  test("every schema compiles with ajv (JSON Schema 2020-12, unknown keywords refused)", () => {
    const failures: string[] = [];
    for (const [, pointer] of schemaCarriers(DOC)) {
      try {
        contract.validator(`${pointer}/schema`);
      } catch (error) {
        failures.push(`${pointer}/schema: ${(error as Error).message}`);
      }
    }
    for (const name of Object.keys((DOC.components as Node).schemas as Node)) {
      try {
        contract.validator(`#/components/schemas/${name}`);
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test("every example fits its schema (and the OIP spec's schema of the same name)", () => {
    expect(contract.exampleProblems()).toEqual([]);
  });

  test("no request example holds a null (a YAML flow mapping such as { text: a, b } splits at the comma)", () => {
    const nulls: string[] = [];
    for (const route of documentedRoutes(DOC)) {
      const [method, path] = route.split(" ") as [string, string];
      const operation = contract.operation(method, path)!;
      walk({ bodies: contract.requestExamples(operation), params: contract.parameterExamples(operation) }, route, (node, pointer) => {
        for (const [key, value] of Object.entries(node)) if (value === null) nulls.push(`${pointer}/${key}`);
      });
    }
    expect(nulls).toEqual([]);
  });

  test("every operation that takes a body has an example of it, and every path parameter an example", () => {
    const missing: string[] = [];
    for (const route of documentedRoutes(DOC)) {
      const [method, path] = route.split(" ") as [string, string];
      const operation = contract.operation(method, path)!;
      if (operation.node.requestBody !== undefined && contract.requestExample(operation) === undefined) missing.push(`${route}: body`);
      for (const [name, value] of Object.entries(contract.parameterExamples(operation))) {
        if (value === "undefined") missing.push(`${route}: {${name}}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("openapi.yaml documents exactly the routes the app serves", () => {
  test("every route of the running app is documented (method and path)", () => {
    const documented = new Set(documentedRoutes(DOC));
    expect(servedRoutes(main.service.app).filter((route) => !documented.has(route))).toEqual([]);
  });

  test("every documented route is served", () => {
    const served = new Set(servedRoutes(main.service.app));
    expect(documentedRoutes(DOC).filter((route) => !served.has(route))).toEqual([]);
  });
});

describe("documentation routes", () => {
  test("GET / and GET /docs redirect to Swagger UI", async () => {
    for (const route of ["/", "/docs"]) {
      const x = await main.client.call("GET", route);
      expect([x.status, x.headers.get("location")]).toEqual([302, "/swagger"]);
    }
  });

  test("GET /swagger: Swagger UI over this document (one url, no urls), persistent authorization, local assets", async () => {
    const x = await main.client.call("GET", "/swagger");
    expect(x.status).toBe(200);
    expect(x.text).toContain('"url":"/openapi.json"');
    expect(x.text).not.toContain('"urls"');
    expect(x.text).toContain('"persistAuthorization":true');
    expect(x.text).toContain("/swagger/assets/swagger-ui-bundle.js");
    // No icon link: the browser asks for /favicon.ico, which answers with the icon.
    expect(x.text).not.toMatch(/https?:\/\//);
  });

  test("GET /swagger/json leads to /openapi.json", async () => {
    const x = await main.client.call("GET", "/swagger/json");
    expect([x.status, x.headers.get("location")]).toEqual([308, "/openapi.json"]);
  });

  test("GET /swagger/assets/{file}: every asset with its media type; an unknown file is a 404", async () => {
    const types = { "swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css", "favicon-32x32.png": "image/png", "favicon-16x16.png": "image/png" };
    for (const [file, media] of Object.entries(types)) {
      const x = await main.client.call("GET", "/swagger/assets/{file}", { params: { file } });
      expect([x.status, x.mediaType]).toEqual([200, media]);
    }
    const missing = await main.client.call("GET", "/swagger/assets/{file}", { params: { file: "../package.json" } });
    expect(missing.status).toBe(404);
  });

  test("GET /favicon.ico is Swagger UI's PNG icon", async () => {
    const x = await main.client.call("GET", "/favicon.ico");
    expect([x.status, x.mediaType, x.text.slice(1, 4)]).toEqual([200, "image/png", "PNG"]);
  });

  test("GET /openapi.yaml serves this very file, as text a browser shows", async () => {
    const x = await main.client.call("GET", "/openapi.yaml");
    expect([x.status, x.mediaType, x.headers.get("content-disposition")]).toEqual([200, "text/yaml", "inline"]);
    expect(x.text).toBe(DOC_TEXT);
  });

  test("GET /openapi.json serves this very document as JSON", async () => {
    const x = await main.client.call("GET", "/openapi.json");
    expect(x.status).toBe(200);
    expect(x.body).toEqual(JSON.parse(JSON.stringify(DOC)));
  });
});

describe("probes", () => {
  test("live and ready once the models are loaded", async () => {
    expect((await main.client.call("GET", "/v2/health/live")).body).toEqual({ live: true });
    expect((await main.client.call("GET", "/v2/health/ready")).body).toEqual({ ready: true });
  });

  test("probes ignore tokens, even wrong ones", async () => {
    for (const route of ["/v2/health/live", "/v2/health/ready", "/v2", "/api/v1/models/health"]) {
      expect((await guarded.client.call("GET", route, { token: "not-the-token-at-all" })).status).toBe(200);
    }
  });
});

describe("registry, health and model list", () => {
  test("the registry lists every model with consistent totals; the broken file is failed with its error", async () => {
    const registry = (await main.client.call("GET", "/api/v1/models/registry")).body as Node;
    const models = registry.models as Node[];
    const byName = new Map(models.map((model) => [model.name as string, model]));
    for (const name of ["iris_rf", "iris_lazy", "titanic", "cast_string_to_float", "automl_prophet", "broken", "lexicon"]) {
      expect(byName.has(name)).toBe(true);
    }
    expect(registry.total_models).toBe(models.length);
    for (const status of ["loaded", "failed", "skipped"]) {
      expect(registry[`${status}_models`]).toBe(models.filter((model) => model.status === status).length);
    }
    expect(byName.get("broken")).toMatchObject({ status: "failed", loaded_at: null });
    expect(typeof byName.get("broken")!.error).toBe("string");
    expect(byName.get("iris_rf")).toMatchObject({ required: true, description: expect.any(String) });
    expect(byName.get("titanic")!.version).toBe("2.1.0");
    expect(models.map((model) => model.name)).toEqual([...byName.keys()].sort());
  });

  test("health is degraded (200) while a model is failed and others serve", async () => {
    const x = await main.client.call("GET", "/api/v1/models/health");
    expect(x.status).toBe(200);
    expect(x.body).toMatchObject({ status: "degraded", failed_models: ["broken"] });
  });

  test("the model list gives names, types and statuses", async () => {
    const x = await main.client.call("GET", "/api/v1/models/models");
    expect((x.body as Node).models).toContainEqual({ name: "automl_prophet", type: "prophet", status: "loaded" });
  });

  test("a wrong or malformed token is a 401 even where no token is needed", async () => {
    const wrong = await main.client.call("GET", "/api/v1/models/registry", { token: "not-the-token-at-all" });
    expect([wrong.status, wrong.headers.get("www-authenticate")]).toEqual([401, 'Bearer realm="model-cache", error="invalid_token"']);
    const malformed = await main.client.call("GET", "/api/v1/models/models", { headers: { authorization: "Basic YWRtaW46YWRtaW4=" } });
    expect([malformed.status, (malformed.body as { error: Node }).error.code]).toEqual([401, "invalid_request"]);
  });
});

describe("sentiment", () => {
  test("one text, and a batch in order", async () => {
    const one = await main.client.call("POST", "/api/v1/sentiment", { json: { text: "I love it, wonderful and great" } });
    expect([one.status, (one.body as Node).label]).toEqual([200, "POSITIVE"]);
    const batch = await main.client.call("POST", "/api/v1/sentiment", { json: { texts: ["great, wonderful", "awful, terrible, horrible"] } });
    expect(((batch.body as Node).results as Node[]).map((result) => result.label)).toEqual(["POSITIVE", "NEGATIVE"]);
  });

  describe("bodies that cannot be read: 400", () => {
    test("not JSON", async () => {
      const x = await main.client.call("POST", "/api/v1/sentiment", { raw: '{"text": ' });
      expect([x.status, (x.body as { error: Node }).error.code]).toEqual([400, "invalid_json"]);
    });
    test("not UTF-8", async () => {
      const x = await main.client.call("POST", "/api/v1/sentiment", { raw: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) });
      expect([x.status, (x.body as { error: Node }).error.code]).toEqual([400, "invalid_encoding"]);
    });
  });

  describe("bodies that do not fit: 422", () => {
    const cases: [string, unknown][] = [
      ["text is not a string", { text: 3 }],
      ["neither text nor texts", {}],
      ["both text and texts", { text: "a", texts: ["b"] }],
      ["an empty batch", { texts: [] }],
      [`a batch over MAX_BATCH (${LIMITS.MAX_BATCH})`, { texts: Array.from({ length: LIMITS.MAX_BATCH + 1 }, () => "fine") }],
      [`a text over MAX_TEXT_LENGTH (${LIMITS.MAX_TEXT_LENGTH})`, { text: "a".repeat(LIMITS.MAX_TEXT_LENGTH + 1) }],
      ["a JSON array", ["great"]],
    ];
    for (const [name, body] of cases) {
      test(name, async () => {
        const x = await main.client.call("POST", "/api/v1/sentiment", { json: body });
        expect([x.status, (x.body as { error: Node }).error.code]).toEqual([422, "validation_failed"]);
      });
    }
    test("no body at all", async () => {
      expect((await main.client.call("POST", "/api/v1/sentiment")).status).toBe(422);
    });
  });
});

describe("forecast", () => {
  const route = "/api/v1/models/{name}/forecast";
  const params = { name: "automl_prophet" };

  test("future periods match the upstream test's point forecasts", async () => {
    const x = await main.client.call("POST", route, { params, json: { periods: 7, freq: "D", seed: 3 } });
    const forecast = (x.body as Node).forecast as Node[];
    expect([x.status, forecast.length, forecast[0]!.ds]).toEqual([200, 7, "2020-10-26"]);
    expect(forecast[0]!.yhat as number).toBeCloseTo(8.794826, 5);
    expect(forecast[6]!.yhat as number).toBeCloseTo(10.794835, 5);
    const again = await main.client.call("POST", route, { params, json: { periods: 7, freq: "D", seed: 3 } });
    expect(again.body).toEqual(x.body);
  });

  test("given rows (with a time of day), and the history included", async () => {
    const rows = await main.client.call("POST", route, { params, json: { rows: [{ ds: "2020-11-04" }, { ds: "2020-11-01T12:00:00" }] } });
    expect(((rows.body as Node).forecast as Node[]).map((point) => point.ds)).toEqual(["2020-11-01T12:00:00", "2020-11-04"]);
    const history = await main.client.call("POST", route, { params, json: { periods: 2, include_history: true } });
    expect(((history.body as Node).forecast as Node[]).length).toBe(9 + 2);
  });

  describe("bad requests: 400 naming the problem", () => {
    const cases: [string, unknown][] = [
      ["periods below 1", { periods: 0 }],
      [`periods over MAX_FORECAST_PERIODS (${LIMITS.MAX_FORECAST_PERIODS})`, { periods: LIMITS.MAX_FORECAST_PERIODS + 1 }],
      ["an unknown field", { periods: 2, horizon: 3 }],
      ["rows and periods together", { periods: 2, rows: [{ ds: "2020-11-01" }] }],
      ["a row without ds", { rows: [{ y: 1 }] }],
      ["an unknown frequency", { periods: 2, freq: "fortnightly" }],
      ["a body that is not an object", [1, 2]],
    ];
    for (const [name, body] of cases) {
      test(name, async () => {
        const x = await main.client.call("POST", route, { params, json: body });
        expect([x.status, (x.body as { error: Node }).error.code]).toEqual([400, "bad_request"]);
      });
    }
    test("no body", async () => {
      expect((await main.client.call("POST", route, { params })).status).toBe(400);
    });
    test("a body that is not JSON", async () => {
      const x = await main.client.call("POST", route, { params, raw: "periods=3" });
      expect([x.status, (x.body as { error: Node }).error.code]).toEqual([400, "invalid_json"]);
    });
    test("a model that is not a Prophet model", async () => {
      const x = await main.client.call("POST", route, { params: { name: "iris_rf" }, json: { periods: 2 } });
      expect([x.status, (x.body as { error: Node }).error.code]).toEqual([400, "not_a_forecaster"]);
    });
  });

  test("an unknown model is a 404", async () => {
    const x = await main.client.call("POST", route, { params: { name: "no_such_model" }, json: { periods: 2 } });
    expect([x.status, (x.body as { error: Node }).error.code]).toEqual([404, "model_not_found"]);
  });
});

describe("Open Inference Protocol: server, model metadata and readiness", () => {
  test("server metadata names the service, its version and its extensions", async () => {
    const x = await main.client.call("GET", "/v2");
    expect(x.body).toEqual({ name: "model-cache", version: pkg.version, extensions: ["model_repository", "binary_tensor_data", "statistics"] });
  });

  test("metadata lists tensor inputs/outputs and the ZipMap output it cannot return", async () => {
    const x = await main.client.call("GET", "/v2/models/{name}", { params: { name: "iris_rf" } });
    expect(x.body).toMatchObject({
      name: "iris_rf",
      platform: "onnxruntime_onnx",
      inputs: [{ name: "float_input", datatype: "FP32", shape: [-1, 4] }],
      parameters: { unsupported_outputs: expect.stringMatching(/^output_probability: /) },
    });
  });

  test("metadata of the version a model serves; another version is a 404", async () => {
    const ok = await main.client.call("GET", "/v2/models/{name}/versions/{version}", { params: { name: "titanic", version: "2.1.0" } });
    expect((ok.body as Node).versions).toEqual(["2.1.0"]);
    const other = await main.client.call("GET", "/v2/models/{name}/versions/{version}", { params: { name: "titanic", version: "1.0.0" } });
    expect(other.status).toBe(404);
  });

  test("a Prophet model's metadata points at the forecast route", async () => {
    const x = await main.client.call("GET", "/v2/models/{name}", { params: { name: "automl_prophet" } });
    expect(x.body).toMatchObject({ platform: "prophet", inputs: [], parameters: { forecast_endpoint: "/api/v1/models/automl_prophet/forecast" } });
  });

  test("unknown model: 404; failed model: 503", async () => {
    expect((await main.client.call("GET", "/v2/models/{name}", { params: { name: "no_such_model" } })).status).toBe(404);
    expect((await main.client.call("GET", "/v2/models/{name}", { params: { name: "broken" } })).status).toBe(503);
  });

  test("readiness: 200 loaded; 404 unknown model or version; 503 failed", async () => {
    expect((await main.client.call("GET", "/v2/models/{name}/ready", { params: { name: "iris_rf" } })).body).toEqual({ name: "iris_rf", ready: true });
    const versioned = "/v2/models/{name}/versions/{version}/ready";
    expect((await main.client.call("GET", versioned, { params: { name: "titanic", version: "2.1.0" } })).status).toBe(200);
    expect((await main.client.call("GET", versioned, { params: { name: "titanic", version: "9" } })).status).toBe(404);
    expect((await main.client.call("GET", "/v2/models/{name}/ready", { params: { name: "no_such_model" } })).status).toBe(404);
    expect((await main.client.call("GET", "/v2/models/{name}/ready", { params: { name: "broken" } })).status).toBe(503);
  });

  test("a model set to load on first use: not ready (503) until its metadata loads it", async () => {
    expect((await main.client.call("GET", "/v2/models/{name}/ready", { params: { name: "iris_lazy" } })).status).toBe(503);
    expect((await main.client.call("GET", "/v2/models/{name}", { params: { name: "iris_lazy" } })).status).toBe(200);
    expect((await main.client.call("GET", "/v2/models/{name}/ready", { params: { name: "iris_lazy" } })).status).toBe(200);
  });
});

describe("Open Inference Protocol: inference", () => {
  const infer = "/v2/models/{name}/infer";
  const inferVersion = "/v2/models/{name}/versions/{version}/infer";

  test("flat data: labels of the upstream fixture, the id echoed, the version named", async () => {
    const x = await main.client.call("POST", infer, { params: { name: "iris_rf" }, json: irisRequest() });
    expect(x.body).toEqual({
      model_name: "iris_rf",
      model_version: "1.0.0",
      id: "contract-1",
      outputs: [{ name: "output_label", shape: [2], datatype: "INT64", data: [0, 2] }],
    });
  });

  test("data nested to the shape gives the same answer", async () => {
    const x = await main.client.call("POST", infer, { params: { name: "iris_rf" }, json: irisRequest(IRIS_ROWS) });
    expect(((x.body as Node).outputs as Node[])[0]!.data).toEqual([0, 2]);
  });

  test("strings, INT64 and NaN into an imputing pipeline, on its version", async () => {
    const x = await main.client.call("POST", inferVersion, { params: { name: "titanic", version: "2.1.0" }, json: titanicRequest() });
    const [label, probabilities] = (x.body as Node).outputs as Node[];
    expect(label!.data).toEqual([1, 0]);
    expect((probabilities!.data as number[])[1]).toBeCloseTo(0.8855, 3);
    expect((probabilities!.data as number[])[2]).toBeCloseTo(0.8555, 3);
  });

  test("outputs picks the outputs returned", async () => {
    const x = await main.client.call("POST", infer, { params: { name: "titanic" }, json: titanicRequest([{ name: "probabilities" }]) });
    expect(((x.body as Node).outputs as Node[]).map((output) => output.name)).toEqual(["probabilities"]);
  });

  test('NaN and ±Infinity come back as "NaN", "Infinity", "-Infinity"', async () => {
    const data = ["NaN", "INF", "-INF", "1e40", "1.5", "2", "3", "4", "5", "6", "7", "8"];
    const x = await main.client.call("POST", infer, {
      params: { name: "cast_string_to_float" },
      json: { inputs: [{ name: "input", datatype: "BYTES", shape: [3, 4], data }] },
    });
    expect(((x.body as Node).outputs as Node[])[0]!.data).toEqual(["NaN", "Infinity", "-Infinity", "Infinity", 1.5, 2, 3, 4, 5, 6, 7, 8]);
  });

  describe("requests that do not fit the model: 400 with the OIP error body", () => {
    const cases: [string, string, unknown][] = [
      ["no inputs (schema)", "iris_rf", {}],
      ["inputs that are not an array (schema)", "iris_rf", { inputs: 3 }],
      ["an unknown input", "iris_rf", { inputs: [{ name: "X", datatype: "FP32", shape: [1, 4], data: [1, 2, 3, 4] }] }],
      ["a missing input", "titanic", { inputs: titanicRequest().inputs.slice(1) }],
      ["a wrong datatype", "iris_rf", { inputs: [{ name: "float_input", datatype: "FP64", shape: [1, 4], data: [1, 2, 3, 4] }] }],
      ["data that does not fill the shape", "iris_rf", irisRequest([1, 2, 3, 4])],
      [`a batch over MAX_BATCH (${LIMITS.MAX_BATCH})`, "iris_rf", irisRequest(Array(36).fill(1), [9, 4])],
      ["NaN where the model does not take it", "iris_rf", irisRequest(["NaN", 3.5, 1.4, 0.2], [1, 4])],
      ["an output it cannot return (ZipMap)", "iris_rf", { ...irisRequest(), outputs: [{ name: "output_probability" }] }],
      ["an input given twice", "iris_rf", { inputs: [...irisRequest().inputs, ...irisRequest().inputs] }],
      ["a Prophet model", "automl_prophet", { inputs: [] }],
    ];
    for (const [name, model, body] of cases) {
      test(name, async () => {
        const x = await main.client.call("POST", infer, { params: { name: model }, json: body });
        expect(x.status).toBe(400);
      });
    }
    test("a body that is not JSON", async () => {
      const x = await main.client.call("POST", inferVersion, { params: { name: "iris_rf", version: "1.0.0" }, raw: "inputs=1" });
      expect(x.status).toBe(400);
    });
  });

  test("binary tensor data: FP32 bytes in, binary outputs back as application/octet-stream", async () => {
    const head = new TextEncoder().encode(
      JSON.stringify({ inputs: [{ name: "float_input", datatype: "FP32", shape: [2, 4], parameters: { binary_data_size: 32 } }], parameters: { binary_data_output: true } }),
    );
    const body = new Uint8Array(head.byteLength + 32);
    body.set(head);
    body.set(new Uint8Array(new Float32Array(IRIS_ROWS.flat()).buffer), head.byteLength);
    const headers = { "inference-header-content-length": String(head.byteLength), "content-type": "application/octet-stream" };
    const x = await main.client.call("POST", inferVersion, { params: { name: "iris_rf", version: "1.0.0" }, raw: body, headers });
    expect([x.status, x.mediaType]).toEqual([200, "application/octet-stream"]);
    const jsonLength = Number(x.headers.get("inference-header-content-length"));
    expect(JSON.parse(x.text.slice(0, jsonLength)).outputs).toEqual([{ name: "output_label", datatype: "INT64", shape: [2], parameters: { binary_data_size: 16 } }]);
    const bad = await main.client.call("POST", infer, { params: { name: "iris_rf" }, raw: body, headers: { ...headers, "inference-header-content-length": "-1" } });
    expect(bad.status).toBe(400);
  });

  test("unknown model or version: 404; failed model: 503", async () => {
    expect((await main.client.call("POST", infer, { params: { name: "no_such_model" }, json: irisRequest() })).status).toBe(404);
    const version = await main.client.call("POST", inferVersion, { params: { name: "iris_rf", version: "9" }, json: irisRequest() });
    expect(version.status).toBe(404);
    expect((await main.client.call("POST", infer, { params: { name: "broken" }, json: irisRequest() })).status).toBe(503);
  });
});

describe("statistics and metrics", () => {
  test("statistics of every model, of one, and of one version (Triton's shape); unknown ones 404", async () => {
    const all = await main.client.call("GET", "/v2/models/stats");
    const names = ((all.body as Node).model_stats as Node[]).map((entry) => entry.name);
    expect(names).toContain("iris_rf");
    const one = await main.client.call("GET", "/v2/models/{name}/stats", { params: { name: "iris_rf" } });
    const [stats] = (one.body as Node).model_stats as Node[];
    expect((stats!.inference_stats as Node).success).toMatchObject({ count: expect.any(Number) });
    expect((await main.client.call("GET", "/v2/models/{name}/versions/{version}/stats", { params: { name: "titanic", version: "2.1.0" } })).status).toBe(200);
    expect((await main.client.call("GET", "/v2/models/{name}/versions/{version}/stats", { params: { name: "titanic", version: "9" } })).status).toBe(404);
    expect((await main.client.call("GET", "/v2/models/{name}/stats", { params: { name: "no_such_model" } })).status).toBe(404);
  });

  test("GET /metrics: Prometheus's text format", async () => {
    const x = await main.client.call("GET", "/metrics");
    expect([x.status, x.headers.get("content-type")]).toEqual([200, "text/plain; version=0.0.4; charset=utf-8"]);
    expect(x.text).toContain('model_cache_model_status{model="iris_rf",version="1.0.0",status="loaded"} 1');
  });
});

describe("admin: reload and the model repository", () => {
  const token = ADMIN;

  test("reload one model, a failing one, and every model", async () => {
    const one = await main.client.call("POST", "/api/v1/models/reload", { token, json: { models: ["iris_rf"] } });
    expect(one.body).toEqual({ status: "reloaded", loaded_count: 1, failed_count: 0, loaded_models: ["iris_rf"], failed_models: [] });
    const failing = await main.client.call("POST", "/api/v1/models/reload", { token, json: { models: ["broken"] } });
    expect(failing.body).toMatchObject({ failed_count: 1, failed_models: ["broken"] });
    const all = await main.client.call("POST", "/api/v1/models/reload", { token });
    expect([all.status, (all.body as Node).failed_models]).toEqual([200, ["broken"]]);
  });

  test("reload: unknown model 404, body that does not fit 422, body that is not JSON 400", async () => {
    expect((await main.client.call("POST", "/api/v1/models/reload", { token, json: { models: ["no_such_model"] } })).status).toBe(404);
    expect((await main.client.call("POST", "/api/v1/models/reload", { token, json: { models: "iris_rf" } })).status).toBe(422);
    expect((await main.client.call("POST", "/api/v1/models/reload", { token, json: { models: [""] } })).status).toBe(422);
    expect((await main.client.call("POST", "/api/v1/models/reload", { token, raw: "{models" })).status).toBe(400);
  });

  test("the repository index agrees with the registry; ready:true keeps the READY ones", async () => {
    const index = (await main.client.call("POST", "/v2/repository/index", { token })).body as Node[];
    const registry = ((await main.client.call("GET", "/api/v1/models/registry")).body as Node).models as Node[];
    const state = (status: unknown) => ({ loaded: "READY", failed: "UNAVAILABLE", loading: "LOADING" })[status as string] ?? "UNLOADED";
    // The index has one entry per version; the registry one per model, with its versions inside.
    const records = registry.flatMap((entry) => (entry.versions as Node[] | undefined) ?? [entry]);
    const byNameAndVersion = (a: string[], b: string[]) => (a.join("\n") < b.join("\n") ? -1 : 1);
    expect(index.map((entry) => [entry.name, entry.version, entry.state] as string[]).sort(byNameAndVersion)).toEqual(
      records.map((entry) => [entry.name, entry.version, state(entry.status)] as string[]).sort(byNameAndVersion),
    );
    expect(index.find((entry) => entry.name === "broken")!.reason).not.toBe("");
    const ready = (await main.client.call("POST", "/v2/repository/index", { token, json: { ready: true } })).body as Node[];
    expect(ready.length).toBeGreaterThan(0);
    expect(ready.every((entry) => entry.state === "READY")).toBe(true);
    expect((await main.client.call("POST", "/v2/repository/index", { token, json: { ready: "yes" } })).status).toBe(400);
  });

  test("load and unload by name", async () => {
    const load = await main.client.call("POST", "/v2/repository/models/{name}/load", { token, params: { name: "titanic" } });
    expect(load.body).toEqual({ name: "titanic", state: "READY", reason: "" });
    const unload = await main.client.call("POST", "/v2/repository/models/{name}/unload", { token, params: { name: "iris_lazy" }, json: {} });
    expect(unload.body).toEqual({ name: "iris_lazy", state: "UNLOADED", reason: "" });
  });

  describe("repository refusals", () => {
    test("a model that fails to load: 400 with the reason", async () => {
      const x = await main.client.call("POST", "/v2/repository/models/{name}/load", { token, params: { name: "broken" } });
      expect(x.status).toBe(400);
      expect((x.body as Node).error).toContain("broken");
    });
    test("a configuration or files in the request: 400", async () => {
      for (const parameters of [{ config: "{}" }, { "file:1/model.onnx": "AAAA" }]) {
        const load = await main.client.call("POST", "/v2/repository/models/{name}/load", { token, params: { name: "iris_rf" }, json: { parameters } });
        expect(load.status).toBe(400);
        const unload = await main.client.call("POST", "/v2/repository/models/{name}/unload", { token, params: { name: "iris_rf" }, json: { parameters } });
        expect(unload.status).toBe(400);
      }
    });
    test("unknown model: 404", async () => {
      for (const action of ["load", "unload"]) {
        const x = await main.client.call("POST", `/v2/repository/models/{name}/${action}`, { token, params: { name: "no_such_model" } });
        expect(x.status).toBe(404);
      }
    });
  });
});

describe("versions and routing", () => {
  const token = ADMIN;
  const defaultVersion = "/api/v1/models/{name}/default-version";

  test("the registry lists each version of a versioned model, with its routing and traffic", async () => {
    const models = ((await main.client.call("GET", "/api/v1/models/registry")).body as Node).models as Node[];
    const entry = models.find((model) => model.name === "iris_versions")!;
    expect(entry).toMatchObject({ version: "1", default_version: "1", default_version_from: "manifest", version_policy: { all: true } });
    expect((entry.versions as Node[]).map((version) => [version.id, version.status])).toEqual([
      ["iris_versions@1", "loaded"],
      ["iris_versions@2", "loaded"],
    ]);
    const list = ((await main.client.call("GET", "/api/v1/models/models")).body as Node).models as Node[];
    expect(list.find((model) => model.name === "iris_versions")!.versions).toHaveLength(2);
  });

  test("inference and metadata name the version that answered, in the body and the headers", async () => {
    for (const user of ["a", "b", "c", "d", "e", "f"]) {
      const x = await main.client.call("POST", "/v2/models/{name}/infer", { params: { name: "iris_versions" }, json: irisRequest(), headers: { "X-User-Id": user } });
      expect(x.status).toBe(200);
      expect([x.headers.get("x-model-name"), x.headers.get("x-model-version")]).toEqual(["iris_versions", (x.body as Node).model_version as string]);
    }
    const pinned = await main.client.call("POST", "/v2/models/{name}/versions/{version}/infer", { params: { name: "iris_versions", version: "2" }, json: irisRequest() });
    expect([(pinned.body as Node).model_version, pinned.headers.get("x-model-version")]).toEqual(["2", "2"]);
    const metadata = await main.client.call("GET", "/v2/models/{name}", { params: { name: "iris_versions" } });
    expect([(metadata.body as Node).versions, metadata.headers.get("x-model-version")]).toEqual([["1", "2"], "1"]);
    const unknown = await main.client.call("GET", "/v2/models/{name}/versions/{version}", { params: { name: "iris_versions", version: "3" } });
    expect(unknown.status).toBe(404);
  });

  test("forecast by version; an unknown version is a 404", async () => {
    const params = { name: "prophet_versions", version: "1" };
    const x = await main.client.call("POST", "/api/v1/models/{name}/versions/{version}/forecast", { params, json: { periods: 2 } });
    expect([x.status, (x.body as Node).version, x.headers.get("x-model-version")]).toEqual([200, "1", "1"]);
    const latest = await main.client.call("POST", "/api/v1/models/{name}/forecast", { params: { name: "prophet_versions" }, json: { periods: 2 } });
    expect((latest.body as Node).version).toBe("2");
    const unknown = await main.client.call("POST", "/api/v1/models/{name}/versions/{version}/forecast", { params: { ...params, version: "7" }, json: { periods: 2 } });
    expect([unknown.status, (unknown.body as { error: Node }).error.code]).toEqual([404, "version_not_found"]);
    const notProphet = await main.client.call("POST", "/api/v1/models/{name}/versions/{version}/forecast", { params: { name: "iris_versions", version: "1" }, json: { periods: 2 } });
    expect(notProphet.status).toBe(400);
  });

  test("rollback: PUT makes a version the default, DELETE gives it back to the manifest", async () => {
    const set = await main.client.call("PUT", defaultVersion, { token, params: { name: "iris_versions" }, json: { version: "2" } });
    expect(set.body).toMatchObject({ version: "2", default_version: "2", default_version_from: "admin", routing: { suspended: true } });
    const x = await main.client.call("POST", "/v2/models/{name}/infer", { params: { name: "iris_versions" }, json: irisRequest(), headers: { "X-User-Id": "a" } });
    expect((x.body as Node).model_version).toBe("2");
    const cleared = await main.client.call("DELETE", defaultVersion, { token, params: { name: "iris_versions" } });
    expect(cleared.body).toMatchObject({ default_version: "1", default_version_from: "manifest", routing: { suspended: false } });
  });

  test("default-version refusals: unknown model or version 404, a body that does not fit 422, not JSON 400, too large 413", async () => {
    const params = { name: "iris_versions" };
    const version = await main.client.call("PUT", defaultVersion, { token, params, json: { version: "9" } });
    expect([version.status, (version.body as { error: Node }).error.code]).toEqual([404, "version_not_found"]);
    const model = await main.client.call("PUT", defaultVersion, { token, params: { name: "no_such_model" }, json: { version: "1" } });
    expect([model.status, (model.body as { error: Node }).error.code]).toEqual([404, "model_not_found"]);
    expect((await main.client.call("DELETE", defaultVersion, { token, params: { name: "no_such_model" } })).status).toBe(404);
    expect((await main.client.call("PUT", defaultVersion, { token, params, json: { version: 2 } })).status).toBe(422);
    expect((await main.client.call("PUT", defaultVersion, { token, params, json: {} })).status).toBe(422);
    expect((await main.client.call("PUT", defaultVersion, { token, params, raw: "{version" })).status).toBe(400);
    const tooLarge = JSON.stringify({ version: "x".repeat(LIMITS.MAX_BODY_BYTES) });
    expect((await main.client.call("PUT", defaultVersion, { token, params, raw: tooLarge })).status).toBe(413);
  });

  test("sentiment answers name the model and version", async () => {
    const x = await main.client.call("POST", "/api/v1/sentiment", { json: { text: "wonderful" } });
    expect(x.headers.get("x-model-version")).toBe((x.body as Node).version as string);
  });
});

describe("model hosts", () => {
  test("the host list shows the WASM, native (Bun only) and JS hosts", async () => {
    const { status, body } = await main.client.call("GET", "/api/v1/hosts");
    expect(status).toBe(200);
    // Deno runs every model on WASM: it has no native host (ONNX_BACKEND, README "Running on Deno").
    const expected = runtime.name === "deno" ? ["wasm-0", "lexicon", "prophet"] : ["wasm-0", "native", "lexicon", "prophet"];
    expect((body as { hosts: { name: string }[] }).hosts.map((host) => host.name)).toEqual(expected);
  });

  test("a restart recycles a host; an unknown host is 404", async () => {
    const restarted = await main.client.call("POST", "/api/v1/hosts/{name}/restart", { token: ADMIN, params: { name: "prophet" } });
    expect(restarted.body).toEqual({ status: "recycled", host: "prophet" });
    const unknown = await main.client.call("POST", "/api/v1/hosts/{name}/restart", { token: ADMIN, params: { name: "nope" } });
    expect(unknown.status).toBe(404);
  });
});

describe("the cluster view", () => {
  test("a replica on its own says cluster mode is off", async () => {
    const { status, body } = await main.client.call("GET", "/api/v1/cluster");
    expect(status).toBe(200);
    expect(body).toMatchObject({ enabled: false, replica: null, redis: "off", status: "off", replicas: [], models: [] });
  });
});

describe("the models folder watcher", () => {
  test("its status shows events plus a safety poll", async () => {
    const { status, body } = await main.client.call("GET", "/api/v1/watch");
    expect(status).toBe(200);
    expect(body).toMatchObject({ enabled: true, configured_mode: "auto", mode: "events+poll", refused: [] });
  });
});

describe("bearer tokens, route by route as openapi.yaml declares them", () => {
  /** Every documented operation with its kind of token, example parameters and example body. */
  const operations = () =>
    documentedRoutes(DOC).map((route) => {
      const [method, path] = route.split(" ") as [string, string];
      const operation = contract.operation(method, path)!;
      return {
        method,
        path,
        kind: (operation.node["x-bearer-token"] as string | undefined) ?? "none",
        params: contract.parameterExamples(operation),
        json: contract.requestExample(operation),
      };
    });

  test("admin routes: 401 without a token, with a wrong one and with a malformed one; 403 with the inference token", async () => {
    for (const { method, path, params, json } of operations().filter((op) => op.kind === "admin")) {
      for (const client of [main.client, guarded.client]) {
        const missing = await client.call(method, path, { params, json });
        expect([path, missing.status, missing.headers.get("www-authenticate")]).toEqual([path, 401, 'Bearer realm="model-cache"']);
        expect([path, (await client.call(method, path, { params, json, token: "not-the-token-at-all" })).status]).toEqual([path, 401]);
        expect([path, (await client.call(method, path, { params, json, headers: { authorization: "Token x" } })).status]).toEqual([path, 401]);
      }
      expect([path, (await guarded.client.call(method, path, { params, json, token: INFERENCE })).status]).toEqual([path, 403]);
    }
  });

  test("inference routes with INFERENCE_TOKEN set: 401 without a token or with a wrong one; both tokens open them", async () => {
    for (const { method, path, params, json } of operations().filter((op) => op.kind === "inference")) {
      const missing = await guarded.client.call(method, path, { params, json });
      expect([path, missing.status, missing.headers.get("www-authenticate")]).toEqual([path, 401, 'Bearer realm="model-cache"']);
      expect([path, (await guarded.client.call(method, path, { params, json, token: "not-the-token-at-all" })).status]).toEqual([path, 401]);
      for (const token of [INFERENCE, ADMIN]) {
        const opened = await guarded.client.call(method, path, { params, json, token });
        expect([path, opened.status === 401 || opened.status === 403]).toEqual([path, false]);
      }
    }
  });

  test("inference routes without INFERENCE_TOKEN answer without a token (with the documented examples)", async () => {
    for (const { method, path, params, json } of operations().filter((op) => op.kind === "inference")) {
      const x = await main.client.call(method, path, { params, json });
      expect([path, x.status === 401 || x.status === 403]).toEqual([path, false]);
    }
  });

  test("routes without security never ask for a token", async () => {
    for (const { method, path, params, json } of operations().filter((op) => op.kind === "none")) {
      const x = await guarded.client.call(method, path, { params, json, token: "not-the-token-at-all" });
      expect([path, x.status === 401 || x.status === 403]).toEqual([path, false]);
    }
  });
});

describe("request bodies over MAX_BODY_BYTES: 413", () => {
  const tooLarge = () => JSON.stringify({ text: "x".repeat(LIMITS.MAX_BODY_BYTES) });

  test("a declared Content-Length over the limit, on /api (code payload_too_large) and /v2", async () => {
    const api = await main.client.call("POST", "/api/v1/sentiment", { raw: tooLarge() });
    expect([api.status, (api.body as { error: Node }).error.code]).toEqual([413, "payload_too_large"]);
    const v2 = await main.client.call("POST", "/v2/models/{name}/infer", { params: { name: "iris_rf" }, raw: tooLarge() });
    expect([v2.status, typeof (v2.body as Node).error]).toEqual([413, "string"]);
  });

  test("a chunked body that grows past the limit", async () => {
    const x = await main.client.call("POST", "/v2/models/{name}/versions/{version}/infer", {
      params: { name: "iris_rf", version: "1.0.0" },
      raw: chunkedBody(LIMITS.MAX_BODY_BYTES * 2),
    });
    expect(x.status).toBe(413);
  });

  test("on every route that takes a body (read before the token is checked)", async () => {
    const routes: [string, Record<string, string>][] = [
      ["/api/v1/models/reload", {}],
      ["/api/v1/models/{name}/forecast", { name: "automl_prophet" }],
      ["/v2/repository/index", {}],
      ["/v2/repository/models/{name}/load", { name: "iris_rf" }],
      ["/v2/repository/models/{name}/unload", { name: "iris_rf" }],
    ];
    for (const [route, params] of routes) {
      expect([route, (await main.client.call("POST", route, { params, raw: tooLarge(), token: ADMIN })).status]).toEqual([route, 413]);
    }
  });
});

describe("not ready: unloaded models answer 503", () => {
  const token = ADMIN;
  const unload = (name: string) => main.client.call("POST", "/v2/repository/models/{name}/unload", { token, params: { name } });
  const load = (name: string) => main.client.call("POST", "/v2/repository/models/{name}/load", { token, params: { name } });

  test("a required model unloaded: server not ready, health unhealthy, the model 503 everywhere", async () => {
    expect((await unload("iris_rf")).status).toBe(200);
    expect((await main.client.call("GET", "/v2/health/ready")).body).toEqual({ ready: false });
    const health = await main.client.call("GET", "/api/v1/models/health");
    expect([health.status, (health.body as Node).status]).toEqual([503, "unhealthy"]);
    const params = { name: "iris_rf" };
    expect((await main.client.call("GET", "/v2/models/{name}/ready", { params })).status).toBe(503);
    expect((await main.client.call("GET", "/v2/models/{name}/versions/{version}/ready", { params: { ...params, version: "1.0.0" } })).status).toBe(503);
    expect((await main.client.call("GET", "/v2/models/{name}", { params })).status).toBe(503);
    expect((await main.client.call("GET", "/v2/models/{name}/versions/{version}", { params: { ...params, version: "1.0.0" } })).status).toBe(503);
    expect((await main.client.call("POST", "/v2/models/{name}/infer", { params, json: irisRequest() })).status).toBe(503);
    const index = (await main.client.call("POST", "/v2/repository/index", { token })).body as Node[];
    expect(index.find((entry) => entry.name === "iris_rf")).toMatchObject({ state: "UNLOADED", reason: "unloaded" });
    expect((await load("iris_rf")).status).toBe(200);
    expect((await main.client.call("GET", "/v2/health/ready")).status).toBe(200);
  });

  test("an unloaded Prophet model: forecast 503 model_not_ready", async () => {
    await unload("automl_prophet");
    const x = await main.client.call("POST", "/api/v1/models/{name}/forecast", { params: { name: "automl_prophet" }, json: { periods: 2 } });
    expect([x.status, (x.body as { error: Node }).error.code]).toEqual([503, "model_not_ready"]);
    await load("automl_prophet");
  });

  test("no sentiment model left (transformers and lexicon unloaded): sentiment 503 no_backend", async () => {
    const registry = ((await main.client.call("GET", "/api/v1/models/registry")).body as Node).models as Node[];
    const analysers = registry.filter((entry) => entry.model_type === "transformer" || entry.model_type === "lexicon").map((entry) => entry.name as string);
    for (const name of analysers) await unload(name);
    const x = await main.client.call("POST", "/api/v1/sentiment", { json: { text: "great" } });
    expect([x.status, (x.body as { error: Node }).error.code]).toEqual([503, "no_backend"]);
    for (const name of analysers) await load(name);
    expect((await main.client.call("POST", "/api/v1/sentiment", { json: { text: "great" } })).status).toBe(200);
  });
});

describe("shutting down (in process, the server no longer listens): 503", () => {
  test("liveness, readiness, health and model routes", async () => {
    await guarded.service.stop();
    const app = guarded.service.app;
    const client = new Client("http://localhost", (request) => Promise.resolve(app.handle(request)), contract, exercised);
    expect((await client.call("GET", "/v2/health/live")).body).toEqual({ live: false });
    expect((await client.call("GET", "/v2/health/ready")).body).toEqual({ ready: false });
    expect((await client.call("GET", "/api/v1/models/health")).body).toMatchObject({ status: "unhealthy" });
    const forecast = await client.call("POST", "/api/v1/models/{name}/forecast", { params: { name: "automl_prophet" }, json: { periods: 1 }, token: INFERENCE });
    expect([forecast.status, (forecast.body as { error: Node }).error.code]).toEqual([503, "shutting_down"]);
    const infer = await client.call("POST", "/v2/models/{name}/infer", { params: { name: "iris_rf" }, json: irisRequest(), token: INFERENCE });
    expect(infer.status).toBe(503);
  });
});

describe("coverage", () => {
  test("every route the app serves was sent real requests above", () => {
    expect(servedRoutes(main.service.app).filter((route) => !exercised.has(route))).toEqual([]);
  });
});
