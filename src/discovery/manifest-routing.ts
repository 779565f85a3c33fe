import { ConfigError } from "../config/config-error.ts";
import type { RoutingSpec, ShadowSpec, VariantSpec } from "../versions/model-group.ts";
import { asRecord } from "./manifest-values.ts";
import { parseVersionName } from "./manifest-versions.ts";
import { isValidModelName } from "./model-name.ts";

const ROUTING_KEYS = ["variants", "shadow", "sticky_header"] as const;
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;

/**
 * `routing: { variants: [{ version: "1", weight: 90 }, { model: other, weight: 10 }],
 * shadow: { version: "2", percent: 50 }, sticky_header: X-User-Id }`. Whether the versions and
 * models named exist is checked once every model is known (discovery), not here.
 */
export function parseRouting(where: string, value: unknown): RoutingSpec {
  const record = asRecord(value, where);
  const routing: RoutingSpec = { variants: [] };
  for (const [key, item] of Object.entries(record)) {
    switch (key as (typeof ROUTING_KEYS)[number]) {
      case "variants":
        routing.variants = parseVariants(`${where}.variants`, item);
        break;
      case "shadow":
        routing.shadow = parseShadow(`${where}.shadow`, item);
        break;
      case "sticky_header":
        if (typeof item !== "string" || !HEADER_NAME.test(item)) throw new ConfigError(`${where}.sticky_header`, "must be an HTTP header name such as X-User-Id");
        routing.stickyHeader = item.toLowerCase();
        break;
      default:
        throw new ConfigError(`${where}.${key}`, `is not a known key (known: ${ROUTING_KEYS.join(", ")})`);
    }
  }
  return routing;
}

function parseVariants(where: string, value: unknown): VariantSpec[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 100) throw new ConfigError(where, "must be a list of 1 to 100 variants");
  const variants = value.map((raw, i) => {
    const at = `${where}[${i}]`;
    const record = asRecord(raw, at);
    for (const key of Object.keys(record)) {
      if (!["model", "version", "weight"].includes(key)) throw new ConfigError(`${at}.${key}`, "is not a known key (known: model, version, weight)");
    }
    const { weight } = record;
    if (typeof weight !== "number" || !Number.isFinite(weight) || weight < 0 || weight > 1_000_000) {
      throw new ConfigError(`${at}.weight`, "must be a number from 0 to 1000000");
    }
    return { ...target(at, record), weight };
  });
  if (!variants.some((variant) => variant.weight > 0)) throw new ConfigError(where, "must give at least one variant a weight above 0");
  return variants;
}

function parseShadow(where: string, value: unknown): ShadowSpec {
  const record = asRecord(value, where);
  for (const key of Object.keys(record)) {
    if (!["model", "version", "percent"].includes(key)) throw new ConfigError(`${where}.${key}`, "is not a known key (known: model, version, percent)");
  }
  const percent = record.percent ?? 100;
  if (typeof percent !== "number" || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new ConfigError(`${where}.percent`, "must be a number from 0 to 100");
  }
  const shadow = { ...target(where, record), percent };
  if (shadow.model === undefined && shadow.version === undefined) throw new ConfigError(where, "must name a version or a model");
  return shadow;
}

/** The `model` and `version` of a variant or shadow. */
function target(where: string, record: Record<string, unknown>): { model?: string; version?: string } {
  const found: { model?: string; version?: string } = {};
  if (record.model !== undefined) {
    if (typeof record.model !== "string" || !isValidModelName(record.model)) throw new ConfigError(`${where}.model`, "must be a model name");
    found.model = record.model;
  }
  if (record.version !== undefined) found.version = parseVersionName(`${where}.version`, record.version);
  if (found.model === undefined && found.version === undefined && "weight" in record) {
    throw new ConfigError(where, "must name a version, a model, or both");
  }
  return found;
}
