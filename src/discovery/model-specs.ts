import type { ModelSpec } from "../cache/model-types.ts";
import { versionId, type GroupSpec } from "../versions/model-group.ts";
import { compareVersions, latestVersion } from "../versions/version-name.ts";
import { DEFAULT_VERSION_POLICY, servedVersions } from "../versions/version-policy.ts";
import { sizeOnDisk } from "./classify-entry.ts";
import type { Manifest, ManifestEntry } from "./manifest.ts";
import type { FoundVersion } from "./version-folders.ts";

/** What making specs needs from the discovery options. */
export interface SpecOptions {
  defaultVersion: string;
  preload: string[] | undefined;
  manifest: Manifest;
}

/** The records of one model and the group that names them. */
export interface ModelSpecs {
  specs: ModelSpec[];
  group: GroupSpec;
}

/** A model with one version (a file or folder, or a name the manifest declares): one record named after it. */
export async function plainModel(name: string, found: FoundVersion | undefined, declared: ManifestEntry, options: SpecOptions, warnings: string[]): Promise<ModelSpecs> {
  const base = baseSpec(name, declared, options);
  const spec: ModelSpec = found === undefined
    ? { ...base, modelType: declared.type ?? "onnx", problem: `${options.manifest.file} declares "${name}" but the models folder has no such model` }
    : await fileSpec(base, found, declared.type);
  if (declared.defaultVersion !== undefined && declared.defaultVersion !== spec.version) {
    warnings.push(`Ignoring default_version "${declared.defaultVersion}" of "${name}": it has one version, "${spec.version}"`);
  }
  return { specs: [spec], group: singleGroup(name, spec.version, declared) };
}

/**
 * A model with versions side by side: one record per version the policy serves (id
 * `name@version`), plus the default version and the versions its routing names whatever the
 * policy. A version the manifest declares without a file is a record with a problem.
 */
export async function versionedModel(
  name: string,
  found: Map<string, FoundVersion>,
  declared: ManifestEntry,
  options: SpecOptions,
  warnings: string[],
): Promise<ModelSpecs> {
  const available = [...new Set([...found.keys(), ...(declared.versions?.keys() ?? [])])];
  let declaredDefault = declared.defaultVersion;
  if (declaredDefault !== undefined && !available.includes(declaredDefault)) {
    warnings.push(`Ignoring default_version "${declaredDefault}" of "${name}": it has no such version (found: ${available.join(", ")})`);
    declaredDefault = undefined;
  }
  const routed = [...(declared.routing?.variants ?? []), ...(declared.routing?.shadow ? [declared.routing.shadow] : [])]
    .filter((target) => (target.model === undefined || target.model === name) && target.version !== undefined)
    .map((target) => target.version!);
  const policy = declared.versionPolicy ?? DEFAULT_VERSION_POLICY;
  const served = servedVersions(available, policy, [...(declaredDefault === undefined ? [] : [declaredDefault]), ...routed]);
  const specs: ModelSpec[] = [];
  for (const version of served) {
    const id = versionId(name, version);
    const perVersion = declared.versions?.get(version) ?? {};
    const base: Omit<ModelSpec, "modelType"> = {
      ...baseSpec(id, declared, options, name),
      version,
      group: name,
      ...((perVersion.description ?? declared.description) !== undefined && { description: perVersion.description ?? declared.description }),
      ...(perVersion.preload !== undefined && { preload: perVersion.preload }),
    };
    const file = found.get(version);
    specs.push(
      file === undefined
        ? { ...base, modelType: perVersion.type ?? declared.type ?? "onnx", problem: `${options.manifest.file} declares version "${version}" of "${name}" but the models folder has no "${name}/${version}"` }
        : await fileSpec(base, file, perVersion.type ?? declared.type),
    );
  }
  const group: GroupSpec = {
    name,
    versions: specs.map((spec) => ({ version: spec.version, id: spec.name })),
    unserved: available.filter((version) => !served.includes(version)).sort(compareVersions),
    defaultVersion: declaredDefault ?? latestVersion(served)!,
    policy,
    versioned: true,
    ...(declaredDefault !== undefined && { declaredDefault }),
    ...(declared.routing !== undefined && { routing: declared.routing }),
  };
  return { specs, group };
}

/** The group of a model with one version. */
export function singleGroup(name: string, version: string, declared: ManifestEntry): GroupSpec {
  return {
    name,
    versions: [{ version, id: name }],
    unserved: [],
    defaultVersion: version,
    policy: DEFAULT_VERSION_POLICY,
    versioned: false,
    ...(declared.routing !== undefined && { routing: declared.routing }),
  };
}

/** Settings every record takes from its manifest entry and `PRELOAD` (which names models or versions). */
export function baseSpec(id: string, declared: ManifestEntry, options: SpecOptions, name = id): Omit<ModelSpec, "modelType"> {
  return {
    name: id,
    version: declared.version ?? options.defaultVersion,
    required: declared.required ?? false,
    preload: declared.preload ?? (options.preload === undefined || options.preload.includes(name) || options.preload.includes(id)),
    ...(declared.description !== undefined && { description: declared.description }),
    ...(declared.batching !== undefined && { batching: declared.batching }),
    ...(declared.batch_max_delay_ms !== undefined && { batchMaxDelayMs: declared.batch_max_delay_ms }),
    ...(declared.batch_max_run_ms !== undefined && { batchMaxRunMs: declared.batch_max_run_ms }),
    ...(typeof declared.copies === "number" && { copies: declared.copies }),
  };
}

async function fileSpec(base: Omit<ModelSpec, "modelType">, { path, source, kind }: FoundVersion, declaredType: ModelSpec["modelType"] | undefined): Promise<ModelSpec> {
  return {
    ...base,
    modelType: declaredType ?? kind.modelType,
    source,
    path,
    sizeBytes: await sizeOnDisk(path).catch(() => undefined),
    ...(kind.dtype !== undefined && { dtype: kind.dtype }),
    ...(kind.problem !== undefined && { problem: kind.problem }),
  };
}
