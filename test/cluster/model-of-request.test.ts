import { describe, expect, test } from "bun:test";
import { modelOfRequest } from "../../src/cluster/model-of-request.ts";

describe("modelOfRequest: the routes whose model may be elsewhere", () => {
  test.each([
    ["POST", "/v2/models/iris/infer", "iris"],
    ["POST", "/v2/models/iris/versions/2/infer", "iris"],
    ["GET", "/v2/models/iris", "iris"],
    ["GET", "/v2/models/iris/versions/2", "iris"],
    ["GET", "/v2/models/iris/ready", "iris"],
    ["POST", "/api/v1/models/sales/forecast", "sales"],
    ["POST", "/v2/models/a%20b/infer", "a b"],
    ["POST", "/api/v1/sentiment", "bert"],
  ])("%s %s → %s", (method, path, model) => {
    expect(modelOfRequest(method, path, "bert")).toBe(model);
  });

  test.each([
    ["GET", "/v2/models/iris/infer"],
    ["POST", "/v2/models/iris"],
    ["GET", "/v2/models/stats"],
    ["GET", "/v2/models/iris/stats"],
    ["GET", "/api/v1/models/registry"],
    ["POST", "/api/v1/models/reload"],
    ["POST", "/v2/repository/models/iris/load"],
    ["POST", "/v2/models/%E0%A4%A/infer"],
  ])("%s %s: this replica's own business", (method, path) => {
    expect(modelOfRequest(method, path, "bert")).toBeUndefined();
  });

  test("sentiment is forwarded only when SENTIMENT_MODEL names its model", () => {
    expect(modelOfRequest("POST", "/api/v1/sentiment", undefined)).toBeUndefined();
  });
});
