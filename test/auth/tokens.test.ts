import { describe, expect, test } from "bun:test";
import { Tokens } from "../../src/auth/tokens.ts";
import { ForbiddenError, UnauthorizedError } from "../../src/errors/app-error.ts";

const admin = "admin-token-admin-token";
const inference = "inference-token-inference";

describe("Tokens", () => {
  const tokens = new Tokens({ admin, inference });

  test("roles by token", () => {
    expect(tokens.roleOf(undefined)).toBe("anonymous");
    expect(tokens.roleOf(`Bearer ${admin}`)).toBe("admin");
    expect(tokens.roleOf(`bearer ${inference}`)).toBe("inference");
  });

  test("a wrong token or a malformed header is 401, and the message never holds the token", () => {
    for (const header of [`Bearer ${admin}x`, `Bearer ${admin.slice(0, -1)}`, "Bearer", `Basic ${admin}`, `Bearer ${admin} extra`]) {
      let error: unknown;
      try {
        tokens.roleOf(header);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(UnauthorizedError);
      expect((error as Error).message).not.toContain(admin);
    }
  });

  test("admin routes: 401 without a token, 403 with the inference token", () => {
    expect(() => tokens.requireAdmin(null)).toThrow(UnauthorizedError);
    expect(() => tokens.requireAdmin(`Bearer ${inference}`)).toThrow(ForbiddenError);
    expect(() => tokens.requireAdmin(`Bearer ${admin}`)).not.toThrow();
  });

  test("inference routes are open unless an inference token is set", () => {
    expect(() => new Tokens({ admin }).requireInference(null)).not.toThrow();
    expect(() => tokens.requireInference(null)).toThrow(UnauthorizedError);
    expect(() => tokens.requireInference(`Bearer ${admin}`)).not.toThrow();
  });

  test("without an admin token one is generated, random each time", () => {
    const a = new Tokens({ admin: undefined });
    const b = new Tokens({ admin: undefined });
    expect(a.adminGenerated).toBe(true);
    expect(a.admin).not.toBe(b.admin);
    expect(a.admin.length).toBeGreaterThanOrEqual(32);
    expect(a.roleOf(`Bearer ${a.admin}`)).toBe("admin");
  });

  test("the metrics token opens GET /metrics and nothing that is protected", () => {
    const metrics = "a-metrics-token-0123456789";
    const guarded = new Tokens({ admin, inference, metrics });
    expect(guarded.roleOf(`Bearer ${metrics}`)).toBe("metrics");
    expect(() => guarded.requireMetrics(`Bearer ${metrics}`)).not.toThrow();
    expect(() => guarded.requireMetrics(`Bearer ${admin}`)).not.toThrow();
    expect(() => guarded.requireMetrics(null)).toThrow(UnauthorizedError);
    expect(() => guarded.requireMetrics(`Bearer ${inference}`)).toThrow(ForbiddenError);
    expect(() => guarded.requireAdmin(`Bearer ${metrics}`)).toThrow(ForbiddenError);
    expect(() => guarded.requireInference(`Bearer ${metrics}`)).toThrow(ForbiddenError);
    // Without METRICS_TOKEN, /metrics is open; open inference routes stay open to any valid token.
    expect(() => tokens.requireMetrics(null)).not.toThrow();
    expect(() => new Tokens({ admin, metrics }).requireInference(`Bearer ${metrics}`)).not.toThrow();
  });
});
