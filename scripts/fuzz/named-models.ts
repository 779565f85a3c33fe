/**
 * Which registered models a planned request names, as the server will read the path and body:
 * the fuzzer holds such requests back while it has one of those models unloaded.
 */
import type { FuzzRequest } from "./fuzz-request.ts";
import type { RouteSpec } from "./routes.ts";
import type { FuzzTarget } from "./target.ts";

/**
 * The registered models a request names, as the server will read them: from the path after the
 * client normalises it (`./iris_classifier` is iris_classifier) and from a reload body's list.
 *
 * @example
 * namedModels({ path: "/v2/models/./iris_classifier/ready", … }, target, ROUTES); // ["iris_classifier"]
 */
export function namedModels(request: FuzzRequest, target: FuzzTarget, routes: readonly RouteSpec[]): string[] {
  const registered = new Set(target.models.map((model) => model.name));
  const names = new Set<string>();
  for (const route of routes) {
    const name = routeName(request.path, route);
    if (name !== undefined && registered.has(name)) names.add(name);
  }
  if (request.body?.kind === "bytes" && request.path.includes("/reload")) {
    try {
      const models = (JSON.parse(new TextDecoder().decode(request.body.bytes)) as { models?: unknown }).models;
      if (Array.isArray(models)) for (const name of models) if (typeof name === "string" && registered.has(name)) names.add(name);
    } catch {
      // Not JSON: it names nothing.
    }
  }
  return [...names];
}

/** True when `path` is a path of `route` (after the client normalises it). */
export function matchesRoute(path: string, route: RouteSpec): boolean {
  return routeName(path, route) !== undefined;
}

/** The decoded `{name}` of `path` if it is a path of `route`. */
function routeName(path: string, route: RouteSpec): string | undefined {
  if (!route.template.includes("{name}")) return undefined;
  let pathname: string;
  try {
    pathname = new URL(path, "http://fuzz.invalid").pathname;
  } catch {
    return undefined;
  }
  const pattern = new RegExp(`^${route.template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace("{name}", "([^/]+)").replace(/\{\w+\}/g, "[^/]+")}/?$`);
  const match = pattern.exec(pathname);
  if (match === null) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}
