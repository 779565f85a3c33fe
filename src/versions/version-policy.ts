import { compareVersions } from "./version-name.ts";

/**
 * Which versions of a model are served, as Triton's `version_policy` says it: the newest N, all
 * of them, or a list. The default version and the versions that routing names are served
 * whatever the policy (see `servedVersions`).
 */
export type VersionPolicy = { latest: number } | { all: true } | { specific: string[] };

/** The policy of a model whose manifest sets none: every version is served (rollback needs the old one warm). */
export const DEFAULT_VERSION_POLICY: VersionPolicy = { all: true };

/**
 * The versions a policy serves out of the ones found, oldest first, plus the `forced` ones
 * (the default version, versions that routing names) when they exist.
 *
 * @example
 * servedVersions(["1", "2", "3"], { latest: 1 }, ["1"]); // ["1", "3"]
 */
export function servedVersions(available: string[], policy: VersionPolicy, forced: Iterable<string> = []): string[] {
  const sorted = [...new Set(available)].sort(compareVersions);
  let chosen: string[];
  if ("latest" in policy) chosen = sorted.slice(Math.max(0, sorted.length - policy.latest));
  else if ("specific" in policy) chosen = sorted.filter((version) => policy.specific.includes(version));
  else chosen = sorted;
  const served = new Set(chosen);
  for (const version of forced) if (sorted.includes(version)) served.add(version);
  return sorted.filter((version) => served.has(version));
}
