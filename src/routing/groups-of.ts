import type { ModelSpec } from "../cache/model-types.ts";
import type { GroupSpec } from "../versions/model-group.ts";
import { compareVersions, latestVersion } from "../versions/version-name.ts";
import { DEFAULT_VERSION_POLICY } from "../versions/version-policy.ts";

/**
 * Groups for a discovery that carries none (made by hand): the records of one model are its
 * versions, the newest the default, no routing.
 */
export function groupsOf(specs: readonly ModelSpec[]): GroupSpec[] {
  const byName = new Map<string, ModelSpec[]>();
  for (const spec of specs) {
    const name = spec.group ?? spec.name;
    byName.set(name, [...(byName.get(name) ?? []), spec]);
  }
  return [...byName].map(([name, members]) => {
    const versions = members.map((spec) => ({ version: spec.version, id: spec.name })).sort((a, b) => compareVersions(a.version, b.version));
    return {
      name,
      versions,
      unserved: [],
      defaultVersion: latestVersion(versions.map((served) => served.version))!,
      policy: DEFAULT_VERSION_POLICY,
      versioned: members.some((spec) => spec.group !== undefined),
    };
  });
}
