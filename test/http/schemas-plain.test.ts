/**
 * Every body and answer schema of the HTTP layer is plain JSON Schema, without a TypeBox
 * transform: Elysia runs a transform pass over each answer whose schema has one (its own
 * `t.Integer` is one, to take numeric strings), which cost a fifth of the throughput of a tiny
 * model's infer route. src/http/schemas/common-schemas.ts `Integer` is the plain integer.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Kind, type TSchema } from "@sinclair/typebox";
import { HasTransform } from "@sinclair/typebox/value";

const SCHEMAS = fileURLToPath(new URL("../../src/http/schemas/", import.meta.url));

describe("HTTP schemas", () => {
  test("none has a transform", async () => {
    const withTransform: string[] = [];
    let checked = 0;
    for (const file of readdirSync(SCHEMAS)) {
      const schemas = (await import(`${SCHEMAS}${file}`)) as Record<string, unknown>;
      for (const [name, schema] of Object.entries(schemas)) {
        if (typeof schema !== "object" || schema === null || !(Kind in schema)) continue;
        checked++;
        if (HasTransform(schema as TSchema, [])) withTransform.push(`${file}: ${name}`);
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(withTransform).toEqual([]);
  });
});
