import { describe, expect, test } from "bun:test";
import { modelOfRequest } from "../../src/cluster/model-of-request.ts";

describe("modelOfRequest: the routes whose model may be elsewhere", () => {
  test.each([
    ["POST", "/v2/models/iris/infer", { name: "iris" }],
    ["POST", "/v2/models/iris/versions/2/infer", { name: "iris", version: "2" }],
    ["GET", "/v2/models/iris", { name: "iris" }],
    ["GET", "/v2/models/iris/versions/2", { name: "iris", version: "2" }],
    ["GET", "/v2/models/iris/ready", { name: "iris" }],
    ["GET", "/v2/models/iris/versions/2/ready", { name: "iris", version: "2" }],
    ["POST", "/api/v1/models/sales/forecast", { name: "sales" }],
    ["POST", "/api/v1/models/sales/versions/3/forecast", { name: "sales", version: "3" }],
    ["POST", "/v2/models/a%20b/infer", { name: "a b" }],
    ["POST", "/api/v1/sentiment", { name: "bert" }],
  ])("%s %s → %o", (method, path, model) => {
    expect(modelOfRequest(method, path, "bert")).toEqual(model);
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
