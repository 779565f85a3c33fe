/**
 * `bun run fuzz`: sends at least 10 000 random and mutated requests at every route of a running
 * service and reports counts by status code and by route. Passes (exit 0) only with zero 5xx,
 * every error body JSON in the documented shape with no host path, stack or token, the service
 * process alive, and every model it had loaded still loaded and answering.
 *
 *   bun scripts/fuzz.ts                          # starts `bun src/main.ts` over a copy of ./models
 *   bun scripts/fuzz.ts --requests 20000 --seed 7 --concurrency 32
 *   bun scripts/fuzz.ts --url http://127.0.0.1:3000 --admin-token … [--inference-token …] [--max-body-bytes …]
 *
 * The service it starts has ADMIN_TOKEN and INFERENCE_TOKEN set, LOG_LEVEL=warn, and
 * MAX_BODY_BYTES=1 MiB (--max-body-bytes) so that bodies over the limit stay cheap to send.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatReport } from "./fuzz/report.ts";
import { runFuzz } from "./fuzz/runner.ts";
import { startServiceProcess, type ServiceProcess } from "./lib/service-process.ts";

const REPO_ROOT = join(import.meta.dirname, "..");

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    "admin-token": { type: "string" },
    "inference-token": { type: "string" },
    requests: { type: "string", default: "12000" },
    seed: { type: "string", default: "1" },
    concurrency: { type: "string", default: "16" },
    "max-body-bytes": { type: "string" },
    "models-dir": { type: "string", default: join(REPO_ROOT, "models") },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log("usage: bun scripts/fuzz.ts [--requests N] [--seed S] [--concurrency C] [--max-body-bytes B] [--models-dir DIR] [--url URL --admin-token T [--inference-token T]]");
  process.exit(0);
}

const requests = positive("requests", values.requests);
const seed = Number.parseInt(values.seed, 10);
const concurrency = positive("concurrency", values.concurrency);
if (!Number.isInteger(seed)) fail("--seed must be an integer");

let service: ServiceProcess | undefined;
let modelsDir: string | undefined;
let code = 1;
try {
  let url = values.url;
  let adminToken = values["admin-token"];
  let inferenceToken = values["inference-token"];
  const maxBodyBytes = values["max-body-bytes"] === undefined ? (url === undefined ? 1024 * 1024 : undefined) : positive("max-body-bytes", values["max-body-bytes"]);
  if (url === undefined) {
    modelsDir = await mkdtemp(join(tmpdir(), "model-cache-fuzz-"));
    await cp(values["models-dir"], modelsDir, { recursive: true });
    adminToken = `fuzz-admin-${crypto.randomUUID()}`;
    inferenceToken = `fuzz-inference-${crypto.randomUUID()}`;
    console.log(`Starting bun src/main.ts over a copy of ${values["models-dir"]} …`);
    service = await startServiceProcess({
      MODELS_DIR: modelsDir,
      ADMIN_TOKEN: adminToken,
      INFERENCE_TOKEN: inferenceToken,
      LOG_LEVEL: "warn",
      MAX_BODY_BYTES: String(maxBodyBytes),
    });
    url = service.url;
  } else if (adminToken === undefined) {
    fail("--url needs --admin-token (the admin routes are part of the fuzz)");
  }
  console.log(`Fuzzing ${url} with ${requests} requests, seed ${seed}, concurrency ${concurrency}`);
  const result = await runFuzz({
    url,
    adminToken: adminToken!,
    ...(inferenceToken !== undefined && { inferenceToken }),
    ...(maxBodyBytes !== undefined && { maxBodyBytes }),
    requests,
    seed,
    concurrency,
    hostPaths: [...(modelsDir === undefined ? [] : [modelsDir]), REPO_ROOT],
    ...(service !== undefined && { isAlive: service.alive }),
    log: (line) => console.log(line),
  });
  console.log(formatReport(result));
  if (service !== undefined) {
    const unhandled = service.output().filter((line) => line.includes("Unhandled error"));
    if (unhandled.length > 0) console.log(`\nThe service logged ${unhandled.length} unhandled errors; the first:\n${unhandled.slice(0, 3).join("\n")}`);
  }
  code = result.passed ? 0 : 1;
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
} finally {
  const exit = await service?.stop();
  if (service !== undefined) console.log(`Service stopped (exit code ${exit})`);
  if (modelsDir !== undefined) await rm(modelsDir, { recursive: true, force: true });
}
process.exit(code);

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) fail(`--${name} must be a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
