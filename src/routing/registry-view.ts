import type { ModelCache, Registry } from "../cache/model-cache.ts";
import type { RegistryEntry } from "../cache/model-record.ts";
import type { ModelStatus } from "../cache/model-types.ts";
import type { RoutingSpec } from "../versions/model-group.ts";
import { compareVersions } from "../versions/version-name.ts";
import type { VersionPolicy } from "../versions/version-policy.ts";
import type { DefaultSource, ModelRouter } from "./model-router.ts";
import type { VersionTraffic } from "./traffic-stats.ts";

/** One version of a model in the registry: its record's entry, id and traffic. */
export type VersionEntry = RegistryEntry & { id: string; traffic: VersionTraffic };

/** Routing as the registry shows it. */
export interface RoutingView {
  variants: { model?: string; version?: string; weight: number }[];
  shadow?: { model?: string; version?: string; percent: number };
  sticky_header?: string;
  /** True while a default set through the admin route takes all the traffic. */
  suspended: boolean;
}

/**
 * One model in the registry. A model with one version and no routing has the entry it always
 * had (plus `traffic`); a versioned or routed one shows its default version's entry and adds
 * its versions, default, policy and routing.
 */
export type ModelEntry = RegistryEntry & {
  traffic: VersionTraffic;
  default_version?: string;
  default_version_from?: DefaultSource;
  version_policy?: VersionPolicy;
  versions?: VersionEntry[];
  unserved_versions?: string[];
  routing?: RoutingView;
};

/** The registry as /api/v1/models/registry shows it: one entry per model name. */
export type ModelRegistry = Omit<Registry, "models"> & { models: ModelEntry[] };

/**
 * The registry by model name, from the cache's records (one per version) and the router's
 * groups. The totals count models by the status of their default version; `memory` sums every
 * loaded version.
 */
export function describeRegistry(cache: ModelCache, router: ModelRouter): ModelRegistry {
  const registry = cache.getRegistry();
  const byName = new Map<string, RegistryEntry[]>();
  for (const entry of registry.models) byName.set(entry.name, [...(byName.get(entry.name) ?? []), entry]);
  const models = [...byName.keys()].sort().map((name) => modelEntry(name, byName.get(name)!, router));
  const count = (status: ModelStatus) => models.filter((model) => model.status === status).length;
  return {
    is_loaded: registry.is_loaded,
    total_models: models.length,
    loaded_models: count("loaded"),
    failed_models: count("failed"),
    skipped_models: count("skipped"),
    evicted_models: count("evicted"),
    // Memory is held by records (versions), whatever the grouping.
    memory: registry.memory,
    models,
  };
}

/** One model's registry entry, or `undefined` when no record bears its name. */
export function describeModel(cache: ModelCache, router: ModelRouter, name: string): ModelEntry | undefined {
  const records = cache.getRegistry().models.filter((entry) => entry.name === name);
  return records.length === 0 ? undefined : modelEntry(name, records, router);
}

/** One model's entry: its default version's, with the versions listed when it has several or routing. */
function modelEntry(name: string, records: RegistryEntry[], router: ModelRouter): ModelEntry {
  const group = router.describe(name);
  if (group === undefined || (!group.spec.versioned && group.spec.routing === undefined)) {
    const entry = records[0]!;
    return { ...entry, traffic: router.traffic.describe(entry.id ?? entry.name) };
  }
  const versions = records
    .map((entry): VersionEntry => ({ ...entry, id: entry.id ?? entry.name, traffic: router.traffic.describe(entry.id ?? entry.name) }))
    .sort((a, b) => compareVersions(a.version, b.version));
  const chosen = versions.find((entry) => entry.version === group.defaultVersion) ?? versions.at(-1)!;
  const { id: _id, ...head } = chosen;
  const entry: ModelEntry = {
    ...head,
    name,
    default_version: group.defaultVersion,
    default_version_from: group.defaultFrom,
    version_policy: group.spec.policy,
    versions,
  };
  if (group.spec.unserved.length > 0) entry.unserved_versions = group.spec.unserved;
  if (group.spec.routing !== undefined) entry.routing = routingView(group.spec.routing, group.routingSuspended);
  return entry;
}

function routingView(routing: RoutingSpec, suspended: boolean): RoutingView {
  const view: RoutingView = { variants: routing.variants.map((variant) => ({ ...variant })), suspended };
  if (routing.shadow !== undefined) view.shadow = { ...routing.shadow };
  if (routing.stickyHeader !== undefined) view.sticky_header = routing.stickyHeader;
  return view;
}
