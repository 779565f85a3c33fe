import { parseConfig } from "../../src/config/config.ts";
import { Logger } from "../../src/logging/logger.ts";
import { ModelService, type ServiceOptions } from "../../src/service/model-service.ts";

/** Admin token of test services. */
export const ADMIN_TOKEN = "test-admin-token-0123456789";

/** A started service, its base URL and what it logged. */
export interface TestService {
  service: ModelService;
  url: string;
  logs: string[];
  /** Authorization header with the admin token. */
  admin: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts a real service (real HTTP server on a free port, real model hosts) over `modelsDir`
 * and, unless `waitLoaded` is false, waits for its first load to finish. The models folder is
 * not watched unless `env` sets `WATCH_MODELS`.
 *
 * @example
 * const svc = await startTestService({ MODELS_DIR: models.dir });
 * await fetch(`${svc.url}/api/v1/models/registry`);
 */
export async function startTestService(
  env: Record<string, string>,
  options: ServiceOptions & { waitLoaded?: boolean } = {},
): Promise<TestService> {
  const logs: string[] = [];
  // Tests that change their models folder reload explicitly; the watch tests turn watching on.
  const config = parseConfig({ PORT: "0", HOST: "127.0.0.1", ADMIN_TOKEN, LOG_LEVEL: "debug", WATCH_MODELS: "false", ...env });
  const log = new Logger({ level: "debug", sink: (line) => logs.push(line) });
  const service = await ModelService.create(config, { log, ...options });
  await service.start();
  if (options.waitLoaded !== false) await service.loading;
  return {
    service,
    url: `http://127.0.0.1:${service.port}`,
    logs,
    admin: { authorization: `Bearer ${ADMIN_TOKEN}` },
    stop: () => service.stop(),
  };
}

/** POSTs JSON and returns status and parsed body. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json().catch(() => undefined), headers: response.headers };
}

/** GETs JSON and returns status and parsed body. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url, { headers });
  return { status: response.status, body: await response.json().catch(() => undefined), headers: response.headers };
}
