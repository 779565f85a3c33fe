import type { Logger } from "../logging/logger.ts";
import { ReplayableBody } from "./replayable-body.ts";

/** The header a forwarded request carries (the forwarding replica's id): it is never forwarded again. */
export const FORWARDED_HEADER = "x-model-cache-forwarded";
/** The header of every answer in cluster mode: the replica that answered. */
export const REPLICA_HEADER = "x-model-cache-replica";

/** Headers of one connection only (RFC 9110 §7.6.1), never passed on; `host` is the next hop's. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "host", "content-length"]);

/**
 * Set on the 503 a replica answers to a forwarded request for a model it does not hold (it just
 * dropped its copy, or is stopping): the forwarding replica tries the next holder.
 */
export const NOT_HELD_HEADER = "x-model-cache-not-held";

/** A replica that holds the model. */
export interface Holder {
  id: string;
  address: string;
}

/** What the answer was, or why there was none. */
export type ForwardResult =
  | { response: Response; holder: string }
  /** No holder answered; `body` sends the whole request body again (`null`: none), unless it was too large to keep (`bodyGone`). */
  | { response: undefined; tried: string[]; bodyGone: boolean; body: () => ReadableStream<Uint8Array> | null };

/**
 * Sends a request on to a replica that holds its model, one hop: the request carries
 * {@link FORWARDED_HEADER}, and a replica never forwards a request that has it. The request body
 * streams through (kept aside up to `maxBodyBytes`, so that the request can go to the next holder
 * when one fails before answering); the answer streams back with its status and headers. A
 * holder that cannot be reached, or that answers 503 with {@link NOT_HELD_HEADER} (it no longer
 * holds the model, or is stopping), is passed over for the next one. When none answered, the caller serves the
 * request itself.
 *
 * @example
 * const forwarder = new Forwarder("pod-a", 8 << 20, log, 5000);
 * const result = await forwarder.forward(request, requestId, [{ id: "pod-b", address: "http://10.0.0.8:3000" }]);
 */
export class Forwarder {
  /** Holders that could not be reached, until when they are tried last (their record may not have expired yet). */
  private readonly unreachable = new Map<string, number>();

  constructor(
    private readonly replicaId: string,
    private readonly maxBodyBytes: number,
    private readonly log: Logger,
    /** How long a holder that could not be reached is tried last: the cluster's expiry. */
    private readonly suspectMs = 5000,
  ) {}

  async forward(request: Request, requestId: string, candidates: Holder[]): Promise<ForwardResult> {
    const now = Date.now();
    const suspect = (holder: Holder) => (this.unreachable.get(holder.id) ?? 0) > now;
    const holders = [...candidates.filter((holder) => !suspect(holder)), ...candidates.filter(suspect)];
    const url = new URL(request.url);
    const body = new ReplayableBody(request.body, this.maxBodyBytes);
    const headers = new Headers();
    request.headers.forEach((value, key) => {
      if (!HOP_BY_HOP.has(key)) headers.set(key, value);
    });
    headers.set(FORWARDED_HEADER, this.replicaId);
    headers.set("x-request-id", requestId);
    const tried: string[] = [];
    for (const holder of holders) {
      if (tried.length > 0 && !body.replayable) return { response: undefined, tried, bodyGone: true, body: () => null };
      tried.push(holder.id);
      let answer: Response;
      try {
        answer = await fetch(holder.address + url.pathname + url.search, {
          method: request.method,
          headers,
          body: body.stream(),
          redirect: "manual",
          // Lets a streamed request body through (web fetch asks for it; Bun and Deno accept it).
          duplex: "half",
        } as RequestInit);
      } catch (error) {
        this.unreachable.set(holder.id, Date.now() + this.suspectMs);
        this.log.warn(`Forwarding ${request.method} ${url.pathname} to ${holder.id} failed (${error instanceof Error ? error.message : String(error)}); trying the next holder`, { request_id: requestId });
        continue;
      }
      if (answer.status === 503 && answer.headers.has(NOT_HELD_HEADER)) {
        await answer.body?.cancel();
        this.log.info(`${holder.id} no longer holds the model of ${url.pathname}; trying the next holder`, { request_id: requestId });
        continue;
      }
      return { response: new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers: passedOn(answer.headers) }), holder: holder.id };
    }
    return { response: undefined, tried, bodyGone: !body.empty && !body.replayable, body: () => body.stream() };
  }
}

/** An answer's headers, less the ones of its own connection (and its encoding: fetch has decoded the body). */
function passedOn(source: Headers): Headers {
  const headers = new Headers();
  const encoded = source.has("content-encoding");
  source.forEach((value, key) => {
    if (HOP_BY_HOP.has(key) || (encoded && key === "content-encoding")) return;
    headers.append(key, value);
  });
  return headers;
}
