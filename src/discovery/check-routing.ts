import type { GroupSpec, RoutingSpec, ShadowSpec, VariantSpec } from "../versions/model-group.ts";

/**
 * Checks each model's routing against the models found: a variant or shadow naming a model or
 * version that is not served is dropped with a warning (its weight goes to the others), so a
 * typo in the manifest never sends traffic nowhere. Each group gets new routing objects; the
 * manifest's own are left as they are.
 */
export function checkRouting(groups: Map<string, GroupSpec>, warnings: string[]): void {
  for (const group of groups.values()) {
    if (group.routing === undefined) continue;
    const kept = (target: VariantSpec | ShadowSpec, what: string): boolean => {
      const problem = targetProblem(groups, group, target);
      if (problem !== undefined) warnings.push(`Ignoring the ${what} ${describeTarget(target)} of "${group.name}": ${problem}`);
      return problem === undefined;
    };
    let variants = group.routing.variants.filter((variant) => kept(variant, "variant")).map((variant) => ownTarget(group, variant));
    if (variants.length > 0 && !variants.some((variant) => variant.weight > 0)) {
      warnings.push(`Ignoring the variants of "${group.name}": none left with a weight above 0`);
      variants = [];
    }
    const routing: RoutingSpec = { variants };
    const shadow = group.routing.shadow;
    if (shadow !== undefined && kept(shadow, "shadow")) routing.shadow = ownTarget(group, shadow);
    if (group.routing.stickyHeader !== undefined) routing.stickyHeader = group.routing.stickyHeader;
    if (routing.variants.length === 0 && routing.shadow === undefined) delete group.routing;
    else group.routing = routing;
  }
}

/** `version "2"`, `model "other"` or `model "other" version "2"`, for messages. */
export function describeTarget(target: { model?: string; version?: string }): string {
  return [target.model !== undefined && `model "${target.model}"`, target.version !== undefined && `version "${target.version}"`].filter(Boolean).join(" ");
}

function targetProblem(groups: Map<string, GroupSpec>, group: GroupSpec, target: { model?: string; version?: string }): string | undefined {
  const owner = target.model === undefined || target.model === group.name ? group : groups.get(target.model);
  if (owner === undefined) return `no model is named "${target.model}"`;
  if (target.version !== undefined && !owner.versions.some((served) => served.version === target.version)) {
    return `"${owner.name}" serves no version "${target.version}" (served: ${owner.versions.map((served) => served.version).join(", ")})`;
  }
  return undefined;
}

/** A target naming its own model is written without the model. */
function ownTarget<T extends { model?: string }>(group: GroupSpec, target: T): T {
  if (target.model !== group.name) return { ...target };
  const { model: _own, ...rest } = target;
  return rest as T;
}
