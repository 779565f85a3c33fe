/** Authorization headers that are missing, wrong, malformed, or the right token in the wrong place. */
import type { FuzzTarget } from "./target.ts";

/**
 * `[what it is, header value]` pairs; `undefined` sends no Authorization header.
 *
 * @example
 * authVariants(target).find(([note]) => note === "Basic scheme"); // ["Basic scheme", "Basic YWRtaW46YWRtaW4="]
 */
export function authVariants({ adminToken, inferenceToken }: FuzzTarget): [string, string | undefined][] {
  return [
    ["no token", undefined],
    ["wrong token", "Bearer wrong-token-0123456789abcdef"],
    ["admin token minus one character", `Bearer ${adminToken.slice(0, -1)}`],
    ["admin token plus one character", `Bearer ${adminToken}x`],
    ["Basic scheme", `Basic ${btoa("admin:admin")}`],
    ["scheme only", "Bearer"],
    ["empty token", "Bearer "],
    ["lower-case scheme", `bearer ${adminToken}`],
    ["two tokens", `Bearer ${adminToken} ${adminToken}`],
    ["token with trailing spaces", `Bearer ${adminToken}   `],
    ["very long token", `Bearer ${"a".repeat(8000)}`],
    ["control characters", "Bearer abc\tdef"],
    ["inference token", inferenceToken === undefined ? "Bearer not-an-inference-token-000" : `Bearer ${inferenceToken}`],
    ["inference token misused on an admin route", inferenceToken === undefined ? undefined : `Bearer ${inferenceToken}`],
  ];
}
