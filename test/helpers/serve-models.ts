import { afterAll, beforeAll } from "bun:test";
import type { ServiceOptions } from "../../src/service/model-service.ts";
import { tempModels, type ModelFiles, type TempModels } from "./temp-models.ts";
import { startTestService, type TestService } from "./test-service.ts";
import { SERVICE_HOOK_LIMIT_MS } from "./limits.ts";

/** A running test service and its models folder, available once `beforeAll` has run. */
export interface Served {
  readonly svc: TestService;
  readonly models: TempModels;
}

/**
 * Registers `beforeAll`/`afterAll` hooks that make a temporary models folder from `files`, start
 * a real service over it (with `env` on top of MODELS_DIR), and stop and remove both at the end.
 * `env` and `options` may be functions of the models folder.
 *
 * @example
 * const served = serveModels({ "iris.onnx": { copy: join(DEMO_MODELS, "iris_classifier.onnx") } }, { MAX_BATCH: "4" });
 * test("…", async () => { await fetch(`${served.svc.url}/v2/models/iris`); });
 */
export function serveModels(
  files: ModelFiles | (() => Promise<ModelFiles>),
  env: Record<string, string> | ((dir: string) => Record<string, string>) = {},
  options: ServiceOptions | ((dir: string) => ServiceOptions) = {},
): Served {
  let models: TempModels | undefined;
  let svc: TestService | undefined;
  beforeAll(async () => {
    models = await tempModels(typeof files === "function" ? await files() : files);
    const extra = typeof env === "function" ? env(models.dir) : env;
    svc = await startTestService({ MODELS_DIR: models.dir, ...extra }, typeof options === "function" ? options(models.dir) : options);
    // Bun gives hooks 5 s unless told otherwise; loading several models on a busy 2-core
    // machine can take longer.
  }, SERVICE_HOOK_LIMIT_MS);
  afterAll(async () => {
    await svc?.stop();
    await models?.cleanup();
  }, SERVICE_HOOK_LIMIT_MS);
  return {
    get svc() {
      if (svc === undefined) throw new Error("the service is not started yet (use it inside a test)");
      return svc;
    },
    get models() {
      if (models === undefined) throw new Error("the models folder is not made yet (use it inside a test)");
      return models;
    },
  };
}
