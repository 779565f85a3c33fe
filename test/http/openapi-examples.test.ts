/**
 * Every example of openapi.yaml works against the demo models as shipped: each operation is
 * called with its path parameters' examples and each of its request body examples (the first is
 * what Swagger UI puts in its editor), and must succeed. Swagger UI's "Try it out" sends exactly
 * these, so a user of /swagger never starts from an example that fails.
 */
import { describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/paths.ts";
import { serveModels } from "../helpers/serve-models.ts";
import { shippedDemoModels } from "../helpers/temp-models.ts";
import { runtime } from "#runtime";

type Node = Record<string, unknown>;

const DOC = runtime.parseYaml(await readFile(join(REPO_ROOT, "openapi.yaml"), "utf8")) as Node;
const METHODS = ["get", "post"];
/** Run last, in this order: they take a model or a host away from the calls after them. */
const DISRUPTIVE = ["restartHost", "repositoryUnload"];

/** Follows a local $ref. */
function deref(node: unknown): Node {
  let current = node as Node;
  while (typeof current.$ref === "string") {
    current = (current.$ref as string)
      .slice(2)
      .split("/")
      .reduce<Node>((parent, token) => parent[token.replaceAll("~1", "/").replaceAll("~0", "~")] as Node, DOC);
  }
  return current;
}

interface ExampleCall {
  operationId: string;
  method: string;
  path: string;
  /** The model the call names, when its path is /…/models/{name}/…. */
  model: string | undefined;
  example: string;
  body: unknown;
}

/** One call per operation and request body example, with the path parameters' examples filled in. */
function exampleCalls(): ExampleCall[] {
  const calls: ExampleCall[] = [];
  for (const [template, item] of Object.entries(DOC.paths as Node)) {
    for (const method of METHODS.filter((m) => (item as Node)[m] !== undefined)) {
      const operation = (item as Node)[method] as Node;
      let path = template;
      let model: string | undefined;
      for (const parameter of ((operation.parameters ?? []) as unknown[]).map(deref)) {
        path = path.replace(`{${parameter.name}}`, encodeURIComponent(String(parameter.example)));
        if (parameter.name === "name" && template.includes("/models/{name}")) model = String(parameter.example);
      }
      const media = operation.requestBody === undefined ? undefined : ((deref(operation.requestBody).content as Node)["application/json"] as Node);
      const bodies: [string, unknown][] =
        media === undefined
          ? [["no body", undefined]]
          : "example" in media
            ? [["example", media.example]]
            : Object.entries(media.examples as Node).map(([name, example]) => [name, deref(example).value]);
      for (const [example, body] of bodies) calls.push({ operationId: operation.operationId as string, method, path, model, example, body });
    }
  }
  const rank = (call: ExampleCall) => DISRUPTIVE.indexOf(call.operationId);
  return calls.sort((a, b) => rank(a) - rank(b));
}

const served = serveModels(shippedDemoModels);

describe("every example of openapi.yaml succeeds against the demo models as shipped", () => {
  const calls = exampleCalls();

  test("the examples name only models of models/ (and the built-in lexicon)", async () => {
    const registry = (await (await fetch(`${served.svc.url}/api/v1/models/registry`)).json()) as { models: { name: string }[] };
    const names = new Set(registry.models.map((model) => model.name));
    const named = calls.map((call) => call.model).filter((name): name is string => name !== undefined);
    expect(named.filter((name) => !names.has(name))).toEqual([]);
    expect(named).toContain("sales_forecast");
  });

  for (const call of calls) {
    test(`${call.method.toUpperCase()} ${call.path} (${call.operationId}, ${call.example})`, async () => {
      const response = await fetch(served.svc.url + call.path, {
        method: call.method.toUpperCase(),
        headers: { ...served.svc.admin, ...(call.body !== undefined && { "content-type": "application/json" }) },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        redirect: "manual",
      });
      const text = await response.text();
      expect([response.status < 400, text.slice(0, 300)]).toEqual([true, text.slice(0, 300)]);
    }, 60_000);
  }
});
