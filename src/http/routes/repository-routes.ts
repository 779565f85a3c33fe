import { Elysia, t } from "elysia";
import type { RegistryEntry } from "../../cache/model-record.ts";
import { BadRequestError } from "../../errors/app-error.ts";
import { OipErrorSchema } from "../schemas/common-schemas.ts";
import {
  RepositoryActionBodySchema,
  RepositoryActionSchema,
  RepositoryIndexBodySchema,
  RepositoryIndexSchema,
} from "../schemas/oip-schemas.ts";
import { guards, type HttpDeps } from "../http-deps.ts";
import { summarize } from "../../cluster/cluster-admin.ts";
import type { ClusterFace } from "../../cluster/cluster-face.ts";

const errors = { 400: OipErrorSchema, 401: OipErrorSchema, 403: OipErrorSchema, 404: OipErrorSchema };

/**
 * The model repository extension (admin token): index, load and unload — by the name of a model
 * in the models folder only. Paths, URLs, files and configs in the request are refused.
 */
export function repositoryRoutes({ cache, router, tokens, cluster }: HttpDeps) {
  return new Elysia({ name: "repository-routes", prefix: "/v2/repository" }).guard(
    { transform: guards(tokens).admin },
    (app) =>
      app
        .post(
          "/index",
          async ({ body }) => {
            await cache.rescan();
            const entries = cache.getRegistry().models.map(indexEntry);
            return body?.ready === true ? entries.filter((entry) => entry.state === "READY") : entries;
          },
          {
            body: RepositoryIndexBodySchema,
            response: { 200: RepositoryIndexSchema, ...errors },
          },
        )
        .post(
          "/models/:name/load",
          async ({ params, body }) => {
            refuseSuppliedFiles(body?.parameters);
            await cache.rescan();
            // A versioned model loads every version it serves.
            const ids = router.idsOf(params.name);
            if (cluster !== undefined) return clusterLoad(cluster, params.name, ids);
            const outcomes = await Promise.all(ids.map((id) => cache.loadModel(id)));
            const failed = outcomes.flatMap((outcome) => (outcome.ok ? [] : [`${outcome.entry.id === undefined ? "" : `${outcome.entry.id}: `}${outcome.error}`]));
            if (failed.length > 0) throw new BadRequestError(`Failed to load model "${params.name}": ${failed.join("; ")}`, "load_failed");
            return { name: params.name, state: "READY", reason: "" };
          },
          {
            params: t.Object({ name: t.String() }),
            body: RepositoryActionBodySchema,
            response: { 200: RepositoryActionSchema, ...errors },
          },
        )
        .post(
          "/models/:name/unload",
          async ({ params, body }) => {
            refuseSuppliedFiles(body?.parameters);
            const ids = router.idsOf(params.name);
            if (cluster !== undefined) {
              const result = await cluster.admin.run("unload", ids);
              return { name: params.name, state: "UNLOADED", reason: summarize(result).problems.join("; "), replicas: result.replicas };
            }
            await Promise.all(ids.map((id) => cache.unloadModel(id)));
            return { name: params.name, state: "UNLOADED", reason: "" };
          },
          {
            params: t.Object({ name: t.String() }),
            body: RepositoryActionBodySchema,
            response: { 200: RepositoryActionSchema, ...errors },
          },
        ),
  );
}

/** A cluster-wide load: 400 when it failed on every replica that tried, else READY with what went wrong where. */
async function clusterLoad(cluster: ClusterFace, name: string, ids: string[]) {
  const result = await cluster.admin.run("load", ids);
  const { succeeded, failed, problems } = summarize(result);
  if (failed.length > 0 && succeeded.length === 0) throw new BadRequestError(`Failed to load model "${name}": ${problems.join("; ")}`, "load_failed");
  return { name, state: "READY", reason: problems.join("; "), replicas: result.replicas };
}

function indexEntry(entry: RegistryEntry): { name: string; version: string; state: "READY" | "LOADING" | "UNAVAILABLE" | "UNLOADED"; reason: string } {
  const state =
    entry.status === "loaded" ? "READY" : entry.status === "failed" ? "UNAVAILABLE" : entry.status === "loading" ? "LOADING" : "UNLOADED";
  return { name: entry.name, version: entry.version, state, reason: entry.error ?? (state === "UNLOADED" ? entry.status : "") };
}

/** Triton lets a load carry a config or model files; this server never takes either. */
function refuseSuppliedFiles(parameters: Record<string, unknown> | undefined): void {
  if (parameters === undefined) return;
  const supplied = Object.keys(parameters).filter((key) => key === "config" || key.startsWith("file:"));
  if (supplied.length > 0) {
    throw new BadRequestError(
      "This server loads only models found in its models folder; configurations and files in the request are refused",
      "supplied_files_refused",
    );
  }
}
