/** The checks after a fuzz run: the service is live, and its models are loaded and answer. */
import { Rng } from "./rng.ts";
import type { FuzzTarget } from "./target.ts";
import { inferBody } from "./valid-bodies.ts";

/** The state of one model at the end. */
export interface ModelCheck {
  name: string;
  /** "loaded", "loaded again" (it had to be loaded after the run), or what went wrong. */
  state: string;
  ok: boolean;
  /** Status of a valid request after the run, when the model takes one. */
  answer?: number;
}

/** True when GET /v2/health/live answers 200 `{ "live": true }` within 5 s. */
export async function isLive(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/v2/health/live`, { signal: AbortSignal.timeout(5000) });
    return response.status === 200 && ((await response.json()) as { live?: unknown }).live === true;
  } catch {
    return false;
  }
}

/**
 * Every model loaded at the start must be loaded at the end (or load again when asked) and
 * answer a valid request with 200.
 *
 * @example
 * const checks = await checkModels(target, ["iris_classifier"], 30_000); // [{ name, state: "loaded", ok: true, answer: 200 }]
 */
export async function checkModels(target: FuzzTarget, loadedAtStart: string[], timeoutMs: number): Promise<ModelCheck[]> {
  const admin = { authorization: `Bearer ${target.adminToken}` };
  const registry = (await (await fetch(`${target.url}/api/v1/models/registry`, { headers: admin })).json()) as { models: { name: string; status: string }[] };
  const checks: ModelCheck[] = [];
  const rng = new Rng(12345);
  for (const name of loadedAtStart) {
    const status = registry.models.find((entry) => entry.name === name)?.status ?? "missing from the registry";
    const check: ModelCheck = { name, state: status, ok: status === "loaded" };
    if (!check.ok) {
      const load = await fetch(`${target.url}/v2/repository/models/${encodeURIComponent(name)}/load`, { method: "POST", headers: admin, signal: AbortSignal.timeout(timeoutMs) });
      check.ok = load.status === 200;
      check.state = check.ok ? `${status}, loaded again` : `${status}; loading it again answered ${load.status}`;
    }
    const model = target.models.find((candidate) => candidate.name === name)!;
    const probe =
      model.inputs.length > 0
        ? { path: `/v2/models/${encodeURIComponent(name)}/infer`, body: inferBody(rng, model) }
        : model.type === "prophet"
          ? { path: `/api/v1/models/${encodeURIComponent(name)}/forecast`, body: { periods: 3 } }
          : undefined;
    if (probe !== undefined) {
      const response = await fetch(target.url + probe.path, {
        method: "POST",
        headers: { ...admin, "content-type": "application/json" },
        body: JSON.stringify(probe.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      check.answer = response.status;
      if (response.status !== 200) {
        check.ok = false;
        check.state += `; a valid request answered ${response.status}`;
      }
    }
    checks.push(check);
  }
  return checks;
}
