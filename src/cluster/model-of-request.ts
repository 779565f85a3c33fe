/** The model a request names, and the version when its path names one. */
export interface RequestedModel {
  name: string;
  version?: string;
}

/**
 * The model a request is for, when it goes to a route that needs the model itself: inference,
 * model metadata and model readiness (Open Inference Protocol, with or without a version),
 * forecasts, and sentiment when `SENTIMENT_MODEL` names the model that answers it. Other routes
 * (the registry, statistics, admin) are about this replica and are never forwarded.
 *
 * @example
 * modelOfRequest("POST", "/v2/models/iris/versions/2/infer", undefined); // { name: "iris", version: "2" }
 * modelOfRequest("GET", "/api/v1/models/registry", undefined); // undefined
 */
export function modelOfRequest(method: string, path: string, sentimentModel: string | undefined): RequestedModel | undefined {
  const oip = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/infer|\/ready)?\/?$/.exec(path);
  // GET /v2/models/stats is every model's statistics (Triton), not a model named "stats".
  if (oip !== null && !(oip[1] === "stats" && oip[2] === undefined && oip[3] === undefined)) {
    const infer = oip[3] === "/infer";
    if (infer ? method !== "POST" : method !== "GET") return undefined;
    return named(oip[1]!, oip[2]);
  }
  const forecast = /^\/api\/v1\/models\/([^/]+)(?:\/versions\/([^/]+))?\/forecast\/?$/.exec(path);
  if (forecast !== null) return method === "POST" ? named(forecast[1]!, forecast[2]) : undefined;
  if (method === "POST" && /^\/api\/v1\/sentiment\/?$/.test(path) && sentimentModel !== undefined) return { name: sentimentModel };
  return undefined;
}

function named(name: string, version: string | undefined): RequestedModel | undefined {
  const decodedName = decoded(name);
  const decodedVersion = version === undefined ? undefined : decoded(version);
  if (decodedName === undefined || (version !== undefined && decodedVersion === undefined)) return undefined;
  return decodedVersion === undefined ? { name: decodedName } : { name: decodedName, version: decodedVersion };
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
