/**
 * deploy/k8s and the Dockerfile stay valid: every Kubernetes object validates against the
 * Kubernetes API's own JSON schemas (the npm package kubernetes-models, generated from the
 * Kubernetes OpenAPI document; it checks types, enums and required fields, not unknown fields),
 * and the objects agree with each other and with the service: selectors match labels, probes use
 * /v2/health/*, every setting the container gets is one the service accepts, the manifest in the
 * ConfigMap parses, the Redis URL names the Redis Service. The Dockerfile goes through
 * dockerfile-utils' validator (the one behind VS Code's Docker support) and its COPY sources exist.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { validate as validateDockerfile } from "dockerfile-utils";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import { parseConfig } from "../../src/config/config.ts";
import { parseManifest } from "../../src/discovery/manifest.ts";
import { REPO_ROOT } from "../helpers/paths.ts";

const K8S = join(REPO_ROOT, "deploy/k8s");

/** Kubernetes kinds used here, with the model class that validates each. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "apps/v1 Deployment": Deployment,
  "apps/v1 StatefulSet": StatefulSet,
  "policy/v1 PodDisruptionBudget": PodDisruptionBudget,
  "v1 ConfigMap": ConfigMap,
  "v1 Service": Service,
};

const objects = readdirSync(K8S)
  .filter((file) => file.endsWith(".yaml") && file !== "kustomization.yaml")
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(K8S, file), "utf8")).map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]!.message}`);
      return { file, object: document.toJS() as any };
    }),
  );
const find = (kind: string, name: string) => objects.find(({ object }) => object.kind === kind && object.metadata.name === name)?.object;

describe("deploy/k8s", () => {
  test("every object validates against the Kubernetes schemas", () => {
    expect(objects.length).toBeGreaterThanOrEqual(6);
    for (const { file, object } of objects) {
      const Model = MODELS[`${object.apiVersion} ${object.kind}`];
      expect([file, object.kind, Model !== undefined]).toEqual([file, object.kind, true]);
      expect(() => new Model!(object).validate()).not.toThrow();
    }
  });

  test("the validator does refuse a broken object (a probe without a port, a number for an image)", () => {
    const broken = structuredClone(find("Deployment", "model-cache"));
    broken.spec.template.spec.containers[0].image = 7;
    delete broken.spec.template.spec.containers[0].readinessProbe.httpGet.port;
    expect(() => new Deployment(broken).validate()).toThrow(/image must be string.*|.*port/);
  });

  test("kustomization.yaml lists every file, and only files that exist", () => {
    const kustomization = parseAllDocuments(readFileSync(join(K8S, "kustomization.yaml"), "utf8"))[0]!.toJS() as { resources: string[] };
    const files = readdirSync(K8S).filter((file) => file.endsWith(".yaml") && file !== "kustomization.yaml");
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  test("the Deployment: probes on /v2/health/*, selector and labels agree, settings the service accepts", () => {
    const deployment = find("Deployment", "model-cache");
    const pod = deployment.spec.template;
    expect(pod.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
    const container = pod.spec.containers[0];
    expect(container.startupProbe.httpGet.path).toBe("/v2/health/ready");
    expect(container.readinessProbe.httpGet.path).toBe("/v2/health/ready");
    expect(container.livenessProbe.httpGet.path).toBe("/v2/health/live");
    const ports = container.ports.map((port: any) => port.name);
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) expect(ports).toContain(container[probe].httpGet.port);
    // Every volume mounted is declared.
    const volumes = pod.spec.volumes.map((volume: any) => volume.name);
    for (const c of [...pod.spec.containers, ...pod.spec.initContainers]) for (const mount of c.volumeMounts) expect(volumes).toContain(mount.name);
    // The environment, with Kubernetes' $(VAR) references filled in as a pod would see them.
    const fake: Record<string, string> = { POD_NAME: "model-cache-7d9f-abcde", POD_IP: "10.0.0.7" };
    const env: Record<string, string> = { ADMIN_TOKEN: "a-secret-admin-token-0123456789" };
    for (const variable of container.env) {
      if (variable.value !== undefined) env[variable.name] = String(variable.value).replace(/\$\((\w+)\)/g, (_, name: string) => env[name] ?? fake[name] ?? "");
      else if (variable.valueFrom?.fieldRef !== undefined) env[variable.name] = fake[variable.name]!;
    }
    const config = parseConfig(env, "/app");
    expect(config.port).toBe(container.ports[0].containerPort);
    expect(config.cluster).toMatchObject({ replicaId: "model-cache-7d9f-abcde", advertiseUrl: "http://10.0.0.7:3000" });
    expect(config.shutdownGraceMs).toBeLessThan(pod.spec.terminationGracePeriodSeconds * 1000);
    // The Redis URL names the Redis Service and its port.
    const redisUrl = new URL(config.cluster!.redisUrl);
    const redis = find("Service", redisUrl.hostname);
    expect(redis.spec.ports.map((port: any) => port.port)).toContain(Number(redisUrl.port));
  });

  test("the manifest is a ConfigMap mounted into the models folder and linked as models.yaml", () => {
    const deployment = find("Deployment", "model-cache");
    const pod = deployment.spec.template.spec;
    const configMapName = pod.volumes.find((volume: any) => volume.configMap !== undefined).configMap.name;
    const configMap = find("ConfigMap", configMapName);
    const manifest = parseManifest("models.yaml", parseAllDocuments(configMap.data["models.yaml"])[0]!.toJS());
    // Every model it names is one the image ships (models/).
    for (const name of manifest.keys()) expect(readdirSync(join(REPO_ROOT, "models")).some((entry) => entry.replace(/\.[^.]+$/, "") === name)).toBe(true);
    const modelsDir = pod.containers[0].env.find((variable: any) => variable.name === "MODELS_DIR").value;
    const mount = pod.containers[0].volumeMounts.find((m: any) => m.name === pod.volumes.find((volume: any) => volume.configMap !== undefined).name);
    expect(mount.mountPath).toBe(`${modelsDir}/.manifest`);
    expect(pod.initContainers[0].command.join(" ")).toContain(`ln -sf .manifest/models.yaml ${modelsDir}/models.yaml`);
  });

  test("the Service and the PodDisruptionBudget select the replicas", () => {
    const labels = find("Deployment", "model-cache").spec.template.metadata.labels;
    const service = find("Service", "model-cache");
    expect(labels).toMatchObject(service.spec.selector);
    expect(service.spec.ports[0].targetPort).toBe("http");
    expect(labels).toMatchObject(find("PodDisruptionBudget", "model-cache").spec.selector.matchLabels);
    const redis = find("StatefulSet", "model-cache-redis");
    expect(redis.spec.template.metadata.labels).toMatchObject(find("Service", "model-cache-redis").spec.selector);
  });
});

describe("Dockerfile", () => {
  const text = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8");

  test("dockerfile-utils finds nothing wrong", () => {
    expect(validateDockerfile(text).map((problem) => `${problem.range.start.line + 1}: ${problem.message}`)).toEqual([]);
  });

  test("its sources exist, it runs the single executable it builds, on the port it exposes", () => {
    for (const [, source] of text.matchAll(/^COPY (?!--from)(\S+)/gm)) expect([source, existsSync(join(REPO_ROOT, source!))]).toEqual([source, true]);
    const built = /--outfile (\S+)/.exec(text)![1]!;
    expect(text).toContain(`COPY --from=build ${built} /app/model-cache`);
    expect(text).toContain('ENTRYPOINT ["/app/model-cache"]');
    expect(/^EXPOSE (\d+)/m.exec(text)![1]).toBe(/PORT=(\d+)/.exec(text)![1]);
    expect(text).toMatch(/^USER \d+/m);
  });
});
