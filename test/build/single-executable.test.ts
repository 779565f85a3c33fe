/**
 * The single executable: scripts/build-binary.ts builds it once into a temporary folder, and it
 * runs from an empty working directory, far from the source tree and node_modules, on a copy of
 * the demo models. ONNX and transformer models must load on the embedded WASM runtime, sentiment
 * must come from the transformer (a broken transformers.js build falls back to the lexicon
 * without failing), Swagger UI must come with its assets, and SIGTERM must stop it cleanly.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { runtime } from "#runtime";

const REPO = join(import.meta.dirname, "..", "..");
const BUILD_SCRIPT = join(REPO, "scripts", "build-binary.ts");
const MODELS = join(REPO, "models");
/** Compiling takes seconds here; leave room for a loaded 2-core machine. */
const BUILD_TIMEOUT_MS = 240_000;
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;

/** Platforms for which the installed Bun can write an executable and send it SIGTERM. */
const CAN_COMPILE =
  runtime.name === "bun" &&
  (process.platform === "linux" || process.platform === "darwin") &&
  (process.arch === "x64" || process.arch === "arm64");
if (runtime.name !== "bun") {
  console.warn("single-executable tests skipped: `bun build --compile` is Bun's own (run them with npm test)");
} else if (!CAN_COMPILE) {
  console.warn(`single-executable tests skipped: no bun --compile executable for ${process.platform}-${process.arch}`);
}

/** Everything a process printed so far; filled in the background so its pipe never blocks. */
class Output {
  text = "";

  constructor(stream: ReadableStream<Uint8Array>) {
    void this.drain(stream);
  }

  private async drain(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of stream) this.text += decoder.decode(chunk, { stream: true });
  }
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

describe.skipIf(!CAN_COMPILE)("single executable (bun build --compile)", () => {
  let work = "";
  let binary = "";
  let server: Bun.Subprocess<"ignore", "pipe", "pipe"> | undefined;
  let stdout: Output;
  let stderr: Output;
  let base = "";
  const logs = () => `--- stdout\n${stdout?.text ?? ""}\n--- stderr\n${stderr?.text ?? ""}`;

  beforeAll(
    async () => {
      if (!existsSync(join(MODELS, "iris_classifier.onnx"))) {
        throw new Error(`the demo models are missing: run bun scripts/build-demo-models.ts (${MODELS})`);
      }
      work = mkdtempSync(join(tmpdir(), "model-cache-exe-"));
      binary = join(work, "bin", "model-cache");
      const build = Bun.spawn([process.execPath, BUILD_SCRIPT, "--outfile", binary], {
        cwd: REPO,
        stdout: "pipe",
        stderr: "pipe",
      });
      const [code, buildOut, buildErr] = await Promise.all([
        build.exited,
        new Response(build.stdout).text(),
        new Response(build.stderr).text(),
      ]);
      if (code !== 0 || !existsSync(binary)) throw new Error(`build failed (exit ${code}):\n${buildOut}${buildErr}`);

      const models = join(work, "models");
      // models/cache holds downloads of a development run, not demo models.
      const cache = join(MODELS, "cache");
      cpSync(MODELS, models, { recursive: true, filter: (path) => path !== cache && !path.startsWith(cache + sep) });
      const cwd = join(work, "empty-cwd");
      mkdirSync(cwd);
      server = Bun.spawn([binary], {
        cwd,
        // Nothing inherited: no BUN_* or NODE_* settings from the test runner reach the binary.
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: work, MODELS_DIR: models, PORT: "0", HOST: "127.0.0.1" },
        stdin: "ignore",
        stdout: "pipe",
        stderr: "pipe",
      });
      stdout = new Output(server.stdout);
      stderr = new Output(server.stderr);
      const proc = server;
      const port = await waitFor("the listening line", START_TIMEOUT_MS, async () => {
        if (proc.exitCode !== null) throw new Error(`the executable exited with ${proc.exitCode}\n${logs()}`);
        return /model-cache listening on http:\/\/[^\s:]+:(\d+)/.exec(stdout.text)?.[1];
      }).catch((error: Error) => {
        throw new Error(`${error.message}\n${logs()}`);
      });
      base = `http://127.0.0.1:${port}`;
      await waitFor("readiness", START_TIMEOUT_MS, async () => {
        if (proc.exitCode !== null) throw new Error(`the executable exited with ${proc.exitCode}\n${logs()}`);
        const response = await fetch(`${base}/v2/health/ready`).catch(() => undefined);
        return response?.status === 200 ? true : undefined;
      }).catch((error: Error) => {
        throw new Error(`${error.message}\n${logs()}`);
      });
    },
    { timeout: BUILD_TIMEOUT_MS + START_TIMEOUT_MS },
  );

  afterAll(() => {
    if (server !== undefined && server.exitCode === null) server.kill("SIGKILL");
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test("is one file outside the source tree", () => {
    expect(binary.startsWith(REPO)).toBe(false);
    expect(readdirSync(dirname(binary))).toEqual(["model-cache"]);
    expect(statSync(binary).size).toBeGreaterThan(50 * 1024 * 1024);
  });

  describe("models", () => {
    test("the registry shows the ONNX and transformer models loaded", async () => {
      const registry = (await (await fetch(`${base}/api/v1/models/registry`)).json()) as {
        failed_models: number;
        models: { name: string; model_type: string; status: string }[];
      };
      const status = Object.fromEntries(registry.models.map((m) => [m.name, `${m.model_type}:${m.status}`]));
      expect(status).toMatchObject({
        iris_classifier: "onnx:loaded",
        "linear-external": "onnx:loaded",
        "sentiment-bert": "transformer:loaded",
        "sentiment-distilbert": "transformer:loaded",
        lexicon: "lexicon:loaded",
      });
      expect(registry.failed_models).toBe(0);
    });

    test("sentiment answers from the transformer backend, not the lexicon", async () => {
      const response = await fetch(`${base}/api/v1/sentiment`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: "I love it" }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { label: string; backend: string; model: string };
      expect(body).toMatchObject({ label: "POSITIVE", backend: "transformer" });
      expect(body.model).toStartWith("sentiment-");
    });

    test("an ONNX model infers through the Open Inference Protocol", async () => {
      const response = await fetch(`${base}/v2/models/iris_classifier/infer`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ inputs: [{ name: "input", datatype: "FP32", shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { outputs: { name: string; shape: number[]; data: number[] }[] };
      const probabilities = body.outputs.find((output) => output.name === "probabilities");
      expect(probabilities?.shape).toEqual([1, 3]);
      expect(probabilities!.data.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 5);
      expect(body.outputs.find((output) => output.name === "label")?.data).toEqual([0]);
    });
  });

  describe("documentation, offline", () => {
    test("/swagger serves the page with local asset links", async () => {
      const response = await fetch(`${base}/swagger`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain("/swagger/assets/swagger-ui-bundle.js");
      expect(html).not.toMatch(/https?:\/\/(cdn|unpkg|fastly)/);
    });

    test("the Swagger UI bundle is the embedded copy of swagger-ui-dist's", async () => {
      const response = await fetch(`${base}/swagger/assets/swagger-ui-bundle.js`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toStartWith("text/javascript");
      const served = new Uint8Array(await response.arrayBuffer());
      const original = readFileSync(join(REPO, "node_modules", "swagger-ui-dist", "swagger-ui-bundle.js"));
      expect(served.length).toBe(original.length);
      expect(Buffer.from(served).equals(original)).toBe(true);
    });

    test("the CSS, the icon and the OpenAPI document (YAML and JSON) are served", async () => {
      expect((await fetch(`${base}/swagger/assets/swagger-ui.css`)).status).toBe(200);
      expect((await fetch(`${base}/favicon.ico`)).headers.get("content-type")).toBe("image/png");
      const json = await fetch(`${base}/openapi.json`);
      expect(json.status).toBe(200);
      expect(((await json.json()) as { openapi?: string }).openapi).toStartWith("3.");
      expect((await fetch(`${base}/openapi.yaml`)).status).toBe(200);
    });
  });

  test(
    "SIGTERM stops it with exit code 0",
    async () => {
      const proc = server!;
      proc.kill("SIGTERM");
      const code = await Promise.race([proc.exited, sleep(STOP_TIMEOUT_MS).then(() => "timeout" as const)]);
      expect(code, logs()).toBe(0);
      expect(stdout.text).toContain("Stopped: every model unloaded");
    },
    STOP_TIMEOUT_MS + 5_000,
  );
});
