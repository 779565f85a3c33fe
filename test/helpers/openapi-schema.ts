import { readFile } from "node:fs/promises";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { runtime } from "#runtime";
import { REPO_ROOT } from "./paths.ts";

const ID = "https://model-cache.test/openapi.yaml";
let ajv: Ajv2020 | undefined;

/**
 * What is wrong with `value` against a schema of openapi.yaml's components (empty: nothing), for
 * tests that check answers the contract test's single service never gives (cluster mode).
 *
 * @example
 * expect(await openapiProblems("ClusterView", body)).toEqual([]);
 */
export async function openapiProblems(schema: string, value: unknown): Promise<string[]> {
  if (ajv === undefined) {
    ajv = new Ajv2020({ strict: false, allowUnionTypes: true, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(runtime.parseYaml(await readFile(join(REPO_ROOT, "openapi.yaml"), "utf8")) as object, ID);
  }
  const validate = ajv.getSchema(`${ID}#/components/schemas/${schema}`);
  if (validate === undefined) throw new Error(`openapi.yaml has no schema ${schema}`);
  return validate(value) ? [] : [ajv.errorsText(validate.errors)];
}
