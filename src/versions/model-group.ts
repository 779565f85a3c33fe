import type { VersionPolicy } from "./version-policy.ts";

/** One weighted choice of a model's traffic: one of its own versions, or another model. */
export interface VariantSpec {
  /** Another model's name; absent: this model. */
  model?: string;
  /** A version; absent: that model's default version. */
  version?: string;
  /** Share of the traffic, relative to the other variants' weights (0 turns it off). */
  weight: number;
}

/** Where copies of a model's traffic go, never changing its answers. */
export interface ShadowSpec {
  model?: string;
  version?: string;
  /** Share of requests copied, 0–100 (default 100). */
  percent: number;
}

/** A model's traffic split (A/B or canary), shadow and sticky header, from the manifest. */
export interface RoutingSpec {
  variants: VariantSpec[];
  shadow?: ShadowSpec;
  /** Lower-cased header whose value keeps one caller on one variant. */
  stickyHeader?: string;
}

/** One served version of a model and the id of its cache record. */
export interface GroupVersion {
  version: string;
  /** `name@version` for versioned models; the plain name for a model with one version. */
  id: string;
}

/**
 * A model as clients name it: its served versions (one cache record each), its default version,
 * version policy and routing. Discovery makes one for every model.
 */
export interface GroupSpec {
  name: string;
  /** Served versions, oldest first. */
  versions: GroupVersion[];
  /** Versions found on disk that the version policy leaves out. */
  unserved: string[];
  /** The default version: the manifest's `default_version`, else the newest served. */
  defaultVersion: string;
  /** The manifest's `default_version`, when it sets one. */
  declaredDefault?: string;
  policy: VersionPolicy;
  /** Laid out in version folders or declared with `versions` (not one plain model). */
  versioned: boolean;
  routing?: RoutingSpec;
}

/**
 * The cache id of one version of a versioned model. `@` is never part of a model name, so ids
 * never collide with names.
 *
 * @example
 * versionId("iris", "2"); // "iris@2"
 */
export function versionId(name: string, version: string): string {
  return `${name}@${version}`;
}
