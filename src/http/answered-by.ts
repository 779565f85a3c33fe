import type { VersionTarget } from "../versions/version-target.ts";

/** The response headers that name the model and version that answered. */
export const ANSWERED_BY_HEADERS = { model: "x-model-name", version: "x-model-version" } as const;

/**
 * Names the model and version that answer in the response's headers (`X-Model-Name`,
 * `X-Model-Version`): with A/B routing, a client sees which variant it got.
 */
export function answeredBy(set: { headers: Record<string, unknown> }, target: Pick<VersionTarget, "model" | "version">): void {
  set.headers[ANSWERED_BY_HEADERS.model] = target.model;
  set.headers[ANSWERED_BY_HEADERS.version] = target.version;
}
