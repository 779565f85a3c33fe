import { Elysia } from "elysia";
import type { ClusterFace } from "../../cluster/cluster-face.ts";
import { FORWARDED_HEADER, REPLICA_HEADER } from "../../cluster/forwarder.ts";
import { modelOfRequest } from "../../cluster/model-of-request.ts";
import { REQUEST_ID_HEADER, requestIdFor } from "./request-log.ts";

/**
 * Cluster mode: every answer names the replica that gave it (`X-Model-Cache-Replica`), and a
 * request for a model this replica does not hold is sent on to one that does — before its body
 * is read, so that it streams through — or loaded here (see MissRouter). Runs after the request
 * log, whose request id it passes on.
 *
 * @example
 * app.use(requestLog(log)).use(clusterForwarding(cluster, config.sentimentModel, (request) => app.handle(request)));
 */
export function clusterForwarding(cluster: ClusterFace, sentimentModel: string | undefined, handleHere: (request: Request) => Promise<Response>) {
  // Requests this plugin re-sends to the app itself, with a body that forwarding had read.
  const resent = new WeakSet<Request>();
  return new Elysia({ name: "cluster-forwarding" }).onRequest(async ({ request, set }) => {
    set.headers[REPLICA_HEADER] = cluster.node.id;
    if (resent.has(request)) return;
    const requested = modelOfRequest(request.method, new URL(request.url).pathname, sentimentModel);
    if (requested === undefined) return;
    // A name or version unknown here: the holders (another models folder) or this replica's 404.
    const records = cluster.recordsOf(requested.name, requested.version) ?? [requested.version === undefined ? requested.name : `${requested.name}@${requested.version}`];
    const requestId = (set.headers[REQUEST_ID_HEADER] as string | undefined) ?? requestIdFor(request.headers.get(REQUEST_ID_HEADER));
    const decision = await cluster.router.route(request, records, requestId, request.headers.get(FORWARDED_HEADER));
    if ("answer" in decision) return decision.answer;
    if (!("body" in decision)) return;
    // No holder answered after the body was read: serve it here, with the body sent again.
    const headers = new Headers(request.headers);
    headers.set(REQUEST_ID_HEADER, requestId);
    const again = new Request(request.url, { method: request.method, headers, body: decision.body, duplex: "half" } as RequestInit);
    resent.add(again);
    return handleHere(again);
  });
}
