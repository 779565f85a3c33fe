/**
 * Names a version folder may have: Triton's whole numbers (`1`, `2`, …) and semver-like names
 * (`1.2.0`, `2.0.0-rc.1`). Anything else inside a versioned model's folder is not a version.
 */
export const VERSION_FOLDER_PATTERN = /^\d{1,9}(\.\d{1,9}){0,2}(-[0-9A-Za-z.-]{1,32})?$/;

/** Versions declared in a manifest or set by `MODEL_VERSION`: short, URL-safe names. */
export const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;

/** True when a folder named `name` holds one version of a model. */
export function isVersionFolderName(name: string): boolean {
  return VERSION_FOLDER_PATTERN.test(name);
}

/** True when `version` can name a version (in a manifest, a URL or `MODEL_VERSION`). */
export function isVersionName(version: string): boolean {
  return VERSION_PATTERN.test(version);
}

/**
 * Orders versions oldest first: numerically part by part (`2` < `10`, `1.2` < `1.10`), a
 * pre-release before its release (`2.0.0-rc.1` < `2.0.0`). Names that are not semver-like are
 * compared as text with their digit runs read as numbers.
 *
 * @example
 * ["10", "2", "1.5.0"].sort(compareVersions); // ["1.5.0", "2", "10"]
 */
export function compareVersions(a: string, b: string): number {
  const left = parse(a);
  const right = parse(b);
  if (left === undefined || right === undefined) return textOrder(a, b);
  for (let i = 0; i < 3; i++) {
    const diff = (left.core[i] ?? 0) - (right.core[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (left.pre === undefined || right.pre === undefined) {
    if (left.pre !== right.pre) return left.pre === undefined ? 1 : -1;
    return textOrder(a, b);
  }
  return textOrder(left.pre, right.pre) || textOrder(a, b);
}

/** The newest of some versions. */
export function latestVersion(versions: Iterable<string>): string | undefined {
  let latest: string | undefined;
  for (const version of versions) if (latest === undefined || compareVersions(version, latest) > 0) latest = version;
  return latest;
}

function parse(version: string): { core: number[]; pre: string | undefined } | undefined {
  const match = /^v?(\d+(?:\.\d+){0,2})(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(version);
  if (match === null) return undefined;
  return { core: match[1]!.split(".").map(Number), pre: match[2] };
}

const collator = new Intl.Collator("en", { numeric: true });

function textOrder(a: string, b: string): number {
  return Math.sign(collator.compare(a, b)) || (a < b ? -1 : a > b ? 1 : 0);
}
