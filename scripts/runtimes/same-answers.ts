/**
 * Starts the service on Bun and on Deno over the same models folder (the demo models and a YAML
 * manifest), sends both the fixed requests of ./fixed-requests.ts in the same order, and compares
 * status, content type and body byte for byte, after blanking what differs by nature: timings,
 * timestamps and memory figures. Both then get SIGTERM and must exit 0.
 */
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServiceProcess, type RuntimeName, type ServiceProcess } from "../lib/service-process.ts";
import { COMPARE_ADMIN_TOKEN, COMPARE_MANIFEST, COMPARE_MAX_BODY_BYTES, FIXED_REQUESTS, type FixedRequest } from "./fixed-requests.ts";

/** One answer, as compared. */
export interface Answer {
  status: number;
  contentType: string;
  /** Where a redirect points. */
  location: string;
  body: string;
}

/** One request whose answers differ. */
export interface Difference {
  request: string;
  bun: Answer;
  deno: Answer;
}

/** What the comparison found. */
export interface Comparison {
  requests: number;
  differences: Difference[];
  /** Exit codes after SIGTERM. */
  exitCodes: Record<RuntimeName, number | null>;
}

/** JSON keys whose values are timings, timestamps or memory figures. */
const VARYING_KEY = /(^|_)(at|ms|time)$|duration|uptime|^(memory|used|wasm_memory)_bytes$|rss|heap/;

/** JSON keys whose numbers, all the way down, are measured latencies (`latency_ms: { mean, p50, … }`). */
const LATENCY_KEY = /latency/;

/** Blanks the values that differ by nature, recursively; `timed`: every number below is a timing. */
function normalize(value: unknown, timed = false): unknown {
  if (Array.isArray(value)) return value.map((inner) => normalize(inner, timed));
  if (typeof value === "number" && timed) return "<varies>";
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      VARYING_KEY.test(key) && (typeof inner === "number" || typeof inner === "string") ? "<varies>" : normalize(inner, timed || (LATENCY_KEY.test(key) && key !== "latency")),
    ]),
  );
}

async function send(service: ServiceProcess, request: FixedRequest): Promise<Answer> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.admin === true) headers.authorization = `Bearer ${COMPARE_ADMIN_TOKEN}`;
  let body: string | undefined;
  if (request.bytes !== undefined || request.body !== undefined) {
    headers["content-type"] = "application/json";
    body = request.bytes ?? JSON.stringify(request.body);
  }
  const response = await fetch(`${service.url}${request.path}`, { method: request.method, headers, body, redirect: request.redirect ?? "follow" });
  const contentType = response.headers.get("content-type") ?? "";
  const bytes = new Uint8Array(await response.arrayBuffer());
  let text = contentType.includes("json") || contentType.startsWith("text/") ? new TextDecoder().decode(bytes) : `${bytes.length} bytes: ${digest(bytes)}`;
  if (contentType.includes("json")) text = JSON.stringify(normalize(JSON.parse(text)));
  // Prometheus text: the values are counts and timings; the metrics offered must match, in any
  // order (a scraper reads them by name), except process_max_fds: prom-client reads it from
  // /proc/self/limits, which Deno opens only to --allow-all (README "What differs": Deno's
  // /proc-based process metrics; there the resident memory's gauge is registered again, last).
  if (text.startsWith("# HELP")) {
    text = text
      .split("\n")
      .filter((line) => line.startsWith("# TYPE") && !line.startsWith("# TYPE process_max_fds "))
      .sort()
      .join("\n");
  }
  return { status: response.status, contentType, location: response.headers.get("location") ?? "", body: text };
}

function digest(bytes: Uint8Array): string {
  let hash = 2166136261;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 16777619) >>> 0;
  return hash.toString(16);
}

/** Runs the comparison; the services are stopped whatever happens. */
export async function compareRuntimes(options: { modelsDir: string; log?: (line: string) => void }): Promise<Comparison> {
  const log = options.log ?? (() => undefined);
  const folder = await mkdtemp(join(tmpdir(), "model-cache-compare-"));
  const services: ServiceProcess[] = [];
  try {
    await cp(options.modelsDir, folder, { recursive: true });
    await writeFile(join(folder, "models.yaml"), COMPARE_MANIFEST);
    // Deno runs models on WASM only: Bun does too here, so that the runtimes are compared, not
    // the execution backends (whose registry details and hosts differ by design).
    const env = { MODELS_DIR: folder, ADMIN_TOKEN: COMPARE_ADMIN_TOKEN, LOG_LEVEL: "warn", MAX_BODY_BYTES: String(COMPARE_MAX_BODY_BYTES), ONNX_BACKEND: "wasm" };
    // One after the other: two services loading at once on two cores would only slow both.
    for (const runtime of ["bun", "deno"] as const) {
      log(`starting the service on ${runtime} …`);
      services.push(await startServiceProcess(env, { runtime }));
    }
    const [bun, deno] = services as [ServiceProcess, ServiceProcess];
    const differences: Difference[] = [];
    for (const request of FIXED_REQUESTS) {
      const answers = { bun: await send(bun, request), deno: await send(deno, request) };
      const same = JSON.stringify(answers.bun) === JSON.stringify(answers.deno);
      log(`${same ? "same     " : "DIFFERENT"} ${answers.bun.status} ${request.method} ${request.path} (${request.name})`);
      if (!same) differences.push({ request: request.name, ...answers });
    }
    const exitCodes = { bun: await bun.stop(), deno: await deno.stop() };
    return { requests: FIXED_REQUESTS.length, differences, exitCodes };
  } finally {
    await Promise.all(services.map((service) => service.stop()));
    await rm(folder, { recursive: true, force: true });
  }
}
