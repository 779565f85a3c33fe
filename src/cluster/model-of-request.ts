/**
 * The model a request is for, when it goes to a route that needs the model itself: inference,
 * model metadata and model readiness (Open Inference Protocol, with or without a version),
 * forecasts, and sentiment when `SENTIMENT_MODEL` names the model that answers it. Other routes
 * (the registry, statistics, admin) are about this replica and are never forwarded.
 *
 * @example
 * modelOfRequest("POST", "/v2/models/iris/infer", undefined); // "iris"
 * modelOfRequest("GET", "/api/v1/models/registry", undefined); // undefined
 */
export function modelOfRequest(method: string, path: string, sentimentModel: string | undefined): string | undefined {
  const oip = /^\/v2\/models\/([^/]+)(?:\/versions\/[^/]+)?(\/infer|\/ready)?\/?$/.exec(path);
  // GET /v2/models/stats is every model's statistics (Triton), not a model named "stats".
  if (oip !== null && !(oip[1] === "stats" && oip[2] === undefined && !path.includes("/versions/"))) {
    const infer = oip[2] === "/infer";
    if (infer ? method !== "POST" : method !== "GET") return undefined;
    return decoded(oip[1]!);
  }
  const forecast = /^\/api\/v1\/models\/([^/]+)\/forecast\/?$/.exec(path);
  if (forecast !== null) return method === "POST" ? decoded(forecast[1]!) : undefined;
  if (method === "POST" && /^\/api\/v1\/sentiment\/?$/.test(path)) return sentimentModel;
  return undefined;
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
