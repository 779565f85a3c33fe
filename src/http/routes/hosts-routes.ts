import { Elysia, t } from "elysia";
import { ApiErrorSchema } from "../schemas/common-schemas.ts";
import { HostListSchema, HostRestartSchema } from "../schemas/host-schemas.ts";
import { guards, type HttpDeps } from "../http-deps.ts";

/**
 * /api/v1/hosts: the model host workers, their models, crashes, recycles and WebAssembly memory;
 * and a graceful restart (admin) that moves a host's models to a fresh worker without
 * interrupting them — for instance to give back memory a WASM runtime never returns.
 */
export function hostsRoutes({ hosts, tokens }: HttpDeps) {
  const guard = guards(tokens);
  return new Elysia({ name: "hosts-routes", prefix: "/api/v1/hosts" })
    .get("", async () => ({ hosts: (await hosts.describe()).map(({ memory: _memory, ...info }) => info) }), {
      transform: guard.inference,
      response: { 200: HostListSchema, 401: ApiErrorSchema },
    })
    .post(
      "/:name/restart",
      ({ params }) => {
        hosts.recycle(params.name, "restart requested through the API");
        return { status: "recycled" as const, host: params.name };
      },
      {
        transform: guard.admin,
        params: t.Object({ name: t.String() }),
        response: { 200: HostRestartSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema },
      },
    );
}
